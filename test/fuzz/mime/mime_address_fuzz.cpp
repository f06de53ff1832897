// Fuzz target: header values through the address-list, Content-Type/RFC 2231, RFC 2047 and section-spec
// parsers, and the IMAP ENVELOPE writer. Dictionary: mime_address_fuzz.dict.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parse/mime/address_list.h"
#include "parse/mime/content_type.h"
#include "parse/mime/encoded_word.h"
#include "parse/mime/imap_serialize.h"
#include "parse/mime/section.h"

using namespace bulwark::parse::mime;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  const AddressList list = parse_address_list(value);
  if (list.entries.size() > kMaxAddresses) std::abort();
  for (const Address* mailbox : mailboxes(list)) (void)addr_spec(*mailbox);
  Envelope envelope;
  envelope.from = list;
  (void)write_envelope(envelope);

  if (const auto content_type = parse_content_type(value)) {
    (void)decoded_parameter(content_type->params, "name");
    if (content_type->params.size() > kMaxParameters) std::abort();
  }
  (void)parse_disposition(value);
  (void)parse_language_list(value);
  if (decode_encoded_words(value, 4096).size() > 4096) std::abort();
  (void)parse_section_spec(value);
  return 0;
}

// RFC 5322 2.2 header block parsing: header fields, folding (2.2.3) and case-insensitive lookup.
//
// Contract: parse_header() never fails and never throws. It accepts CRLF or bare LF line ends, 8-bit bytes
// (RFC 6532), lines without a colon and continuation lines without a field (both kept as malformed fields,
// which lookups skip). The block ends after the first empty line, or at the end of the input when there is
// none. Fields beyond HeaderLimits::max_fields are not indexed and raw values longer than max_field_bytes are
// cut; both set is_truncated(). Every string_view points into the parsed text, which must outlive the Header.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::parse::mime {

struct HeaderLimits {
  std::size_t max_fields = 1000;
  std::size_t max_field_bytes = 64 * 1024;
};

struct HeaderField {
  std::string_view name;       // as written, trailing WSP removed (obs-fields, RFC 5322 4.5); empty if malformed
  std::string_view raw_value;  // after the colon up to the field's final line break; still folded
  std::size_t offset = 0;      // first byte of the field in the parsed text
  std::size_t size = 0;        // bytes of the field including its final line break
  bool is_malformed = false;   // no colon, bad name, or a continuation line with no field before it
};

class Header {
 public:
  [[nodiscard]] const std::vector<HeaderField>& fields() const noexcept { return fields_; }
  // First well-formed field with this name (ASCII case-insensitive), or nullptr.
  [[nodiscard]] const HeaderField* find(std::string_view name) const noexcept;
  [[nodiscard]] std::vector<const HeaderField*> find_all(std::string_view name) const;
  // The first field's value, unfolded and trimmed; nullopt when the field is absent.
  [[nodiscard]] std::optional<std::string> unfolded(std::string_view name) const;
  // Bytes of the whole block, including the empty line that ends it (the body starts here).
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool has_empty_line() const noexcept { return has_empty_line_; }
  [[nodiscard]] bool is_truncated() const noexcept { return is_truncated_; }

 private:
  friend Header parse_header(std::string_view text, const HeaderLimits& limits);
  std::vector<HeaderField> fields_;
  std::size_t size_ = 0;
  bool has_empty_line_ = false;
  bool is_truncated_ = false;
};

[[nodiscard]] Header parse_header(std::string_view text, const HeaderLimits& limits = {});

// RFC 5322 2.2.3 unfolding: removes every CR and LF (a line break inside a field value is always followed by
// WSP once parse_header() has split the fields), then trims leading and trailing whitespace.
[[nodiscard]] std::string unfold(std::string_view raw_value);

}  // namespace bulwark::parse::mime

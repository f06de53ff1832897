#include "protocol/imap/fetch_response.h"

#include <algorithm>

#include "parse/imap/response_writer.h"
#include "parse/mime/imap_serialize.h"
#include "parse/mime/section.h"
#include "parse/mime/transfer_encoding.h"
#include "protocol/imap/response_format.h"

namespace bulwark::protocol::imap {
namespace {

using parse::imap::FetchAttribute;
using parse::imap::FetchItem;
using parse::imap::Section;
using parse::imap::SectionText;

constexpr std::size_t kMaxBinaryBytes = 0xffffffffU;

bool any_of(const std::vector<FetchItem>& items, std::initializer_list<FetchAttribute> attributes) {
  return std::any_of(items.begin(), items.end(), [&](const FetchItem& item) {
    return std::find(attributes.begin(), attributes.end(), item.attribute) != attributes.end();
  });
}

std::string section_name(const Section& section) {
  std::string out;
  for (std::size_t i = 0; i < section.part.size(); ++i) {
    if (i > 0) out += '.';
    out += std::to_string(section.part[i]);
  }
  auto add = [&](std::string_view text) {
    if (!out.empty()) out += '.';
    out += text;
  };
  switch (section.text) {
    case SectionText::none: break;
    case SectionText::header: add("HEADER"); break;
    case SectionText::text: add("TEXT"); break;
    case SectionText::mime: add("MIME"); break;
    case SectionText::header_fields:
    case SectionText::header_fields_not: {
      add(section.text == SectionText::header_fields ? "HEADER.FIELDS (" : "HEADER.FIELDS.NOT (");
      for (std::size_t i = 0; i < section.header_fields.size(); ++i) {
        if (i > 0) out += ' ';
        parse::imap::write_astring(out, section.header_fields[i]);
      }
      out += ')';
      break;
    }
  }
  return out;
}

parse::mime::SectionText mime_text(SectionText text) {
  switch (text) {
    case SectionText::none: return parse::mime::SectionText::none;
    case SectionText::header: return parse::mime::SectionText::header;
    case SectionText::header_fields: return parse::mime::SectionText::header_fields;
    case SectionText::header_fields_not: return parse::mime::SectionText::header_fields_not;
    case SectionText::text: return parse::mime::SectionText::text;
    case SectionText::mime: return parse::mime::SectionText::mime;
  }
  return parse::mime::SectionText::none;
}

// The bytes of BODY[section], or nullopt when the section does not exist.
std::optional<std::string> section_bytes(const Section& section, const FetchSource& source) {
  if (section.part.empty() && section.text == SectionText::none) return std::string(source.raw);
  if (source.structure == nullptr) return std::nullopt;
  parse::mime::SectionSpec spec{section.part, mime_text(section.text), section.header_fields};
  auto range = parse::mime::section_range(*source.structure, spec);
  if (!range || range->offset > source.raw.size()) return std::nullopt;
  auto bytes = source.raw.substr(range->offset, std::min<std::uint64_t>(range->size, source.raw.size() - range->offset));
  if (section.text == SectionText::header_fields || section.text == SectionText::header_fields_not) {
    return parse::mime::filter_header_fields(bytes, section.header_fields,
                                             section.text == SectionText::header_fields_not);
  }
  return std::string(bytes);
}

std::string_view apply_partial(std::string_view bytes, const std::optional<parse::imap::Partial>& partial) {
  if (!partial) return bytes;
  if (partial->offset >= bytes.size()) return {};
  return bytes.substr(partial->offset, std::min<std::uint64_t>(partial->count, bytes.size() - partial->offset));
}

void write_section_value(std::string& out, const std::optional<std::string>& bytes,
                         const std::optional<parse::imap::Partial>& partial) {
  if (!bytes) {
    out += "NIL";
    return;
  }
  parse::imap::write_literal(out, apply_partial(*bytes, partial));
}

Result<std::string> binary_bytes(const Section& section, const FetchSource& source) {
  if (section.part.empty()) return std::string(source.raw);
  if (source.structure == nullptr) return fail(Errc::not_found, "no such part");
  const auto* part = find_part(*source.structure, section.part);
  if (part == nullptr || part->kind != parse::mime::PartKind::leaf) return fail(Errc::not_found, "no such part");
  if (part->body_offset > source.raw.size()) return fail(Errc::not_found, "no such part");
  auto body = source.raw.substr(part->body_offset, std::min<std::uint64_t>(part->body_size, source.raw.size() - part->body_offset));
  return parse::mime::decode_body(part->encoding.value_or(""), body, kMaxBinaryBytes);
}

}  // namespace

const parse::mime::Part* find_part(const parse::mime::Part& root, const std::vector<std::uint32_t>& path) {
  const parse::mime::Part* p = &root;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::uint32_t n = path[i];
    if (p->kind == parse::mime::PartKind::message && i > 0) {
      if (p->children.empty()) return nullptr;
      p = &p->children[0];
    }
    if (p->kind == parse::mime::PartKind::multipart) {
      if (n == 0 || n > p->children.size()) return nullptr;
      p = &p->children[n - 1];
    } else if (n != 1) {
      return nullptr;
    }
  }
  return p;
}

bool requests(const std::vector<FetchItem>& items, FetchAttribute attribute) { return any_of(items, {attribute}); }

bool needs_record(const std::vector<FetchItem>& items) {
  return any_of(items, {FetchAttribute::internaldate, FetchAttribute::rfc822_size}) || needs_structure(items) ||
         needs_raw(items);
}

bool needs_structure(const std::vector<FetchItem>& items) {
  return any_of(items, {FetchAttribute::envelope, FetchAttribute::body, FetchAttribute::bodystructure,
                        FetchAttribute::body_section, FetchAttribute::body_peek, FetchAttribute::binary,
                        FetchAttribute::binary_peek, FetchAttribute::binary_size, FetchAttribute::rfc822_header,
                        FetchAttribute::rfc822_text});
}

bool needs_only_rendered_structure(const std::vector<FetchItem>& items) {
  return !any_of(items, {FetchAttribute::body_section, FetchAttribute::body_peek, FetchAttribute::binary,
                         FetchAttribute::binary_peek, FetchAttribute::binary_size, FetchAttribute::rfc822_header,
                         FetchAttribute::rfc822_text});
}

RenderedStructure render_structure(const parse::mime::Part& root) {
  RenderedStructure out;
  out.envelope = parse::mime::write_envelope(root.envelope ? *root.envelope : parse::mime::Envelope{});
  out.body = parse::mime::write_body_structure(root, false);
  out.bodystructure = parse::mime::write_body_structure(root, true);
  return out;
}

bool needs_raw(const std::vector<FetchItem>& items) {
  return any_of(items, {FetchAttribute::rfc822, FetchAttribute::rfc822_header, FetchAttribute::rfc822_text,
                        FetchAttribute::body_section, FetchAttribute::body_peek, FetchAttribute::binary,
                        FetchAttribute::binary_peek, FetchAttribute::binary_size});
}

bool needs_only_top_header(const std::vector<FetchItem>& items) {
  return std::all_of(items.begin(), items.end(), [](const FetchItem& item) {
    switch (item.attribute) {
      case FetchAttribute::rfc822_header: return true;
      case FetchAttribute::body_section:
      case FetchAttribute::body_peek:
        return item.section.part.empty() &&
               (item.section.text == SectionText::header || item.section.text == SectionText::header_fields ||
                item.section.text == SectionText::header_fields_not);
      case FetchAttribute::rfc822: case FetchAttribute::rfc822_text: case FetchAttribute::binary:
      case FetchAttribute::binary_peek: case FetchAttribute::binary_size:
        return false;
      default: return true;  // flags, uid, sizes, dates, envelope, structure: not from the raw bytes
    }
  });
}

bool sets_seen(const std::vector<FetchItem>& items) {
  return any_of(items, {FetchAttribute::body_section, FetchAttribute::rfc822, FetchAttribute::rfc822_text,
                        FetchAttribute::binary});
}

Result<std::string> write_fetch_items(const std::vector<FetchItem>& items, const FetchSource& source,
                                      const FetchOptions& options) {
  std::string out;
  auto sep = [&] {
    if (!out.empty()) out += ' ';
  };
  if (options.include_uid && !requests(items, FetchAttribute::uid)) {
    out += "UID " + std::to_string(source.uid);
  }
  for (const auto& item : items) {
    sep();
    switch (item.attribute) {
      case FetchAttribute::flags:
        out += "FLAGS " + flag_list(source.flags ? *source.flags : std::vector<std::string>{});
        break;
      case FetchAttribute::internaldate: out += "INTERNALDATE " + format_internal_date(source.internal_date); break;
      case FetchAttribute::rfc822_size: out += "RFC822.SIZE " + std::to_string(source.size); break;
      case FetchAttribute::uid: out += "UID " + std::to_string(source.uid); break;
      case FetchAttribute::modseq: out += "MODSEQ (" + std::to_string(source.modseq) + ")"; break;
      case FetchAttribute::envelope:
        out += "ENVELOPE ";
        if (source.rendered) {
          out += source.rendered->envelope;
        } else if (source.structure && source.structure->envelope) {
          out += parse::mime::write_envelope(*source.structure->envelope);
        } else {
          out += parse::mime::write_envelope(parse::mime::Envelope{});
        }
        break;
      case FetchAttribute::body:
      case FetchAttribute::bodystructure: {
        const bool extensible = item.attribute == FetchAttribute::bodystructure;
        out += extensible ? "BODYSTRUCTURE " : "BODY ";
        if (source.rendered) {
          out += extensible ? source.rendered->bodystructure : source.rendered->body;
        } else if (source.structure) {
          out += parse::mime::write_body_structure(*source.structure, extensible);
        } else {
          out += parse::mime::write_body_structure(parse::mime::Part{}, extensible);
        }
        break;
      }
      case FetchAttribute::rfc822:
        out += "RFC822 ";
        parse::imap::write_literal(out, source.raw);
        break;
      case FetchAttribute::rfc822_header:
      case FetchAttribute::rfc822_text: {
        const bool is_header = item.attribute == FetchAttribute::rfc822_header;
        out += is_header ? "RFC822.HEADER " : "RFC822.TEXT ";
        Section section;
        section.text = is_header ? SectionText::header : SectionText::text;
        auto bytes = section_bytes(section, source);
        parse::imap::write_literal(out, bytes ? std::string_view(*bytes) : std::string_view());
        break;
      }
      case FetchAttribute::body_section:
      case FetchAttribute::body_peek:
        out += "BODY[" + section_name(item.section) + "]";
        if (item.partial) out += "<" + std::to_string(item.partial->offset) + ">";
        out += ' ';
        write_section_value(out, section_bytes(item.section, source), item.partial);
        break;
      case FetchAttribute::binary:
      case FetchAttribute::binary_peek:
      case FetchAttribute::binary_size: {
        auto bytes = binary_bytes(item.section, source);
        if (!bytes && bytes.error().code != Errc::not_found) return tl::unexpected(bytes.error());
        if (item.attribute == FetchAttribute::binary_size) {
          out += "BINARY.SIZE[" + section_name(item.section) + "] " + std::to_string(bytes ? bytes->size() : 0);
          break;
        }
        out += "BINARY[" + section_name(item.section) + "]";
        if (item.partial) out += "<" + std::to_string(item.partial->offset) + ">";
        out += ' ';
        if (!bytes) {
          out += "NIL";
        } else {
          auto view = apply_partial(*bytes, item.partial);
          if (view.find('\0') != std::string_view::npos) {
            parse::imap::write_literal8(out, view);
          } else {
            parse::imap::write_literal(out, view);
          }
        }
        break;
      }
    }
  }
  if (options.include_flags && !requests(items, FetchAttribute::flags)) {
    sep();
    out += "FLAGS " + flag_list(source.flags ? *source.flags : std::vector<std::string>{});
  }
  if (options.include_modseq && !requests(items, FetchAttribute::modseq)) {
    sep();
    out += "MODSEQ (" + std::to_string(source.modseq) + ")";
  }
  return out;
}

}  // namespace bulwark::protocol::imap

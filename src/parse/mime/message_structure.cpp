#include "parse/mime/message_structure.h"

#include <algorithm>

#include "parse/mime/ascii.h"
#include "parse/mime/transfer_encoding.h"

namespace bulwark::parse::mime {
namespace {

std::optional<std::string> nonempty(std::optional<std::string> value) {
  if (value && value->empty()) return std::nullopt;
  return value;
}

class StructureParser {
 public:
  StructureParser(std::string_view raw, const StructureLimits& limits) : raw_(raw), limits_(limits) {}

  Part parse_entity(std::size_t start, std::size_t end, std::size_t depth, bool is_digest_child,
                    bool is_message_top) {
    ++parts_;
    Part part;
    const Header header = parse_header(raw_.substr(start, end - start), limits_.header);
    part.header_offset = start;
    part.header_size = header.size();
    part.body_offset = start + header.size();
    part.body_size = end - part.body_offset;
    part.body_lines = count_lines(raw_.substr(part.body_offset, part.body_size));
    if (is_message_top) part.envelope = build_envelope(header);
    read_content_fields(header, is_digest_child, part);

    const bool may_descend = depth < limits_.max_depth && parts_ < limits_.max_parts;
    if (part.type == "multipart") {
      const Parameter* boundary = find_parameter(part.params, "boundary");
      if (boundary != nullptr && !boundary->value.empty() && may_descend) {
        part.kind = PartKind::multipart;
        split_multipart(part, "--" + boundary->value, end, depth);
      } else {
        make_opaque(part);
      }
    } else if (part.type == "message" && (part.subtype == "rfc822" || part.subtype == "global")) {
      const bool is_identity = transfer_encoding_from_name(part.encoding.value_or("")) == TransferEncoding::identity;
      if (is_identity && may_descend) {
        part.kind = PartKind::message;
        part.children.push_back(parse_entity(part.body_offset, end, depth + 1, false, true));
      } else {
        make_opaque(part);
      }
    }
    return part;
  }

 private:
  static void make_opaque(Part& part) {
    part.type = "text";
    part.subtype = "plain";
  }

  static void read_content_fields(const Header& header, bool is_digest_child, Part& part) {
    const auto content_type = header.unfolded("Content-Type");
    auto parsed = content_type ? parse_content_type(*content_type) : std::nullopt;
    if (parsed) {
      part.type = std::move(parsed->type);
      part.subtype = std::move(parsed->subtype);
      part.params = std::move(parsed->params);
    } else if (is_digest_child && !content_type) {
      part.type = "message";
      part.subtype = "rfc822";
    } else {
      part.params.push_back({"charset", "US-ASCII"});
    }
    if (auto encoding = header.unfolded("Content-Transfer-Encoding")) {
      std::string_view token = *encoding;
      token = token.substr(0, std::min(token.find_first_of(" \t;("), token.size()));
      if (!token.empty()) part.encoding = to_lower(token);
    }
    part.id = nonempty(header.unfolded("Content-ID"));
    part.description = nonempty(header.unfolded("Content-Description"));
    part.md5 = nonempty(header.unfolded("Content-MD5"));
    part.location = nonempty(header.unfolded("Content-Location"));
    if (auto disposition = header.unfolded("Content-Disposition")) part.disposition = parse_disposition(*disposition);
    if (auto language = header.unfolded("Content-Language")) part.language = parse_language_list(*language);
  }

  // RFC 2046 5.1.1: finds the delimiter lines of `part`'s body and parses each body part.
  void split_multipart(Part& part, const std::string& delimiter, std::size_t end, std::size_t depth) {
    const bool is_digest = part.subtype == "digest";
    std::size_t pos = part.body_offset;
    std::size_t part_start = std::string_view::npos;
    while (pos < end) {
      std::size_t line_end = raw_.find('\n', pos);
      if (line_end == std::string_view::npos || line_end >= end) line_end = end;
      const std::size_t next = line_end < end ? line_end + 1 : end;
      std::size_t content_end = line_end;
      if (content_end > pos && raw_[content_end - 1] == '\r') --content_end;
      const std::string_view line = raw_.substr(pos, content_end - pos);
      if (line.size() >= delimiter.size() && line.compare(0, delimiter.size(), delimiter) == 0) {
        const std::string_view rest = line.substr(delimiter.size());
        const bool is_close = rest.size() >= 2 && rest[0] == '-' && rest[1] == '-';
        const bool is_open = !is_close && std::all_of(rest.begin(), rest.end(), is_wsp);
        if (is_close || is_open) {
          if (part_start != std::string_view::npos) {
            add_child(part, part_start, end_before(part_start, pos), depth, is_digest);
          }
          part_start = std::string_view::npos;
          if (is_close) return;  // the rest is the epilogue
          part_start = next;
          if (parts_ >= limits_.max_parts) break;  // the rest becomes one opaque part
        }
      }
      pos = next;
    }
    if (part_start != std::string_view::npos) add_child(part, part_start, end, depth, is_digest);
  }

  void add_child(Part& parent, std::size_t start, std::size_t end, std::size_t depth, bool is_digest) {
    if (parts_ >= limits_.max_parts) {
      Part opaque = parse_entity(start, end, limits_.max_depth, is_digest, false);
      parent.children.push_back(std::move(opaque));
      return;
    }
    parent.children.push_back(parse_entity(start, end, depth + 1, is_digest, false));
  }

  // The end of a body part: the line break before the delimiter belongs to the delimiter.
  [[nodiscard]] std::size_t end_before(std::size_t start, std::size_t delimiter_pos) const {
    std::size_t e = delimiter_pos;
    if (e > start && raw_[e - 1] == '\n') --e;
    if (e > start && raw_[e - 1] == '\r') --e;
    return e;
  }

  std::string_view raw_;
  const StructureLimits& limits_;
  std::size_t parts_ = 0;
};

}  // namespace

std::uint64_t count_lines(std::string_view text) noexcept {
  const auto lf = static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
  return lf + ((!text.empty() && text.back() != '\n') ? 1 : 0);
}

Result<Part> parse_message(std::string_view raw, const StructureLimits& limits) {
  if (raw.size() > limits.max_message_bytes) return fail(Errc::too_big, "message exceeds the size limit");
  StructureParser parser(raw, limits);
  return parser.parse_entity(0, raw.size(), 0, false, true);
}

}  // namespace bulwark::parse::mime

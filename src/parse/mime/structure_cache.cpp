#include "parse/mime/structure_cache.h"

namespace bulwark::parse::mime {
namespace {

constexpr std::string_view kMagic = "BWMS";

class Writer {
 public:
  void byte(std::uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      byte(static_cast<std::uint8_t>(v | 0x80));
      v >>= 7;
    }
    byte(static_cast<std::uint8_t>(v));
  }
  void str(std::string_view s) {
    varint(s.size());
    out_.append(s);
  }
  void opt_str(const std::optional<std::string>& s) {
    byte(s ? 1 : 0);
    if (s) str(*s);
  }
  void params(const std::vector<Parameter>& params) {
    varint(params.size());
    for (const auto& p : params) {
      str(p.name);
      str(p.value);
    }
  }
  void addresses(const AddressList& list) {
    byte(static_cast<std::uint8_t>((list.has_errors ? 1 : 0) | (list.is_truncated ? 2 : 0)));
    varint(list.entries.size());
    for (const auto& a : list.entries) {
      byte(static_cast<std::uint8_t>(a.kind));
      opt_str(a.display_name);
      opt_str(a.route);
      str(a.local_part);
      str(a.domain);
    }
  }
  void envelope(const Envelope& e) {
    opt_str(e.date);
    opt_str(e.subject);
    for (const AddressList* list : {&e.from, &e.sender, &e.reply_to, &e.to, &e.cc, &e.bcc}) addresses(*list);
    opt_str(e.in_reply_to);
    opt_str(e.message_id);
  }
  void part(const Part& p) {
    byte(static_cast<std::uint8_t>(p.kind));
    varint(p.header_offset);
    varint(p.header_size);
    varint(p.body_size);
    varint(p.body_lines);
    str(p.type);
    str(p.subtype);
    params(p.params);
    opt_str(p.id);
    opt_str(p.description);
    opt_str(p.encoding);
    opt_str(p.md5);
    opt_str(p.location);
    byte(p.disposition ? 1 : 0);
    if (p.disposition) {
      str(p.disposition->type);
      params(p.disposition->params);
    }
    varint(p.language.size());
    for (const auto& l : p.language) str(l);
    byte(p.envelope ? 1 : 0);
    if (p.envelope) envelope(*p.envelope);
    varint(p.children.size());
    for (const auto& child : p.children) part(child);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  [[nodiscard]] bool at_end() const { return pos_ == in_.size(); }
  [[nodiscard]] bool is_ok() const { return is_ok_; }

  std::uint8_t byte() {
    if (pos_ >= in_.size()) return bad();
    return static_cast<std::uint8_t>(in_[pos_++]);
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t b = byte();
      if (!is_ok_) return 0;
      if (shift == 63 && b > 1) return bad();
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return bad();
  }
  // A count of items that each take at least one byte.
  std::size_t count() {
    const std::uint64_t n = varint();
    if (n > in_.size() - pos_) return bad();
    return static_cast<std::size_t>(n);
  }
  std::string str() {
    const std::size_t n = count();
    if (!is_ok_) return {};
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  bool flag() {
    const std::uint8_t b = byte();
    if (b > 1) bad();
    return b == 1;
  }
  std::optional<std::string> opt_str() {
    if (!flag()) return std::nullopt;
    return str();
  }
  std::vector<Parameter> params() {
    std::vector<Parameter> out(count());
    for (auto& p : out) {
      p.name = str();
      p.value = str();
    }
    return out;
  }
  AddressList addresses() {
    AddressList list;
    const std::uint8_t flags = byte();
    if (flags > 3) bad();
    list.has_errors = (flags & 1) != 0;
    list.is_truncated = (flags & 2) != 0;
    list.entries.resize(count());
    for (auto& a : list.entries) {
      const std::uint8_t kind = byte();
      if (kind > static_cast<std::uint8_t>(AddressKind::group_end)) bad();
      a.kind = static_cast<AddressKind>(kind);
      a.display_name = opt_str();
      a.route = opt_str();
      a.local_part = str();
      a.domain = str();
      if (!is_ok_) break;
    }
    return list;
  }
  Envelope envelope() {
    Envelope e;
    e.date = opt_str();
    e.subject = opt_str();
    for (AddressList* list : {&e.from, &e.sender, &e.reply_to, &e.to, &e.cc, &e.bcc}) *list = addresses();
    e.in_reply_to = opt_str();
    e.message_id = opt_str();
    return e;
  }
  Part part(std::size_t depth) {
    Part p;
    if (depth > kMaxCacheDepth) {
      bad();
      return p;
    }
    const std::uint8_t kind = byte();
    if (kind > static_cast<std::uint8_t>(PartKind::message)) bad();
    p.kind = static_cast<PartKind>(kind);
    p.header_offset = varint();
    p.header_size = varint();
    p.body_size = varint();
    p.body_lines = varint();
    if (p.header_size > UINT64_MAX - p.header_offset) bad();
    p.body_offset = p.header_offset + p.header_size;
    if (p.body_size > UINT64_MAX - p.body_offset) bad();
    p.type = str();
    p.subtype = str();
    p.params = params();
    p.id = opt_str();
    p.description = opt_str();
    p.encoding = opt_str();
    p.md5 = opt_str();
    p.location = opt_str();
    if (flag()) p.disposition = Disposition{str(), params()};
    p.language.resize(count());
    for (auto& l : p.language) l = str();
    if (flag()) p.envelope = envelope();
    const std::size_t children = count();
    if (!is_ok_) return p;
    if ((p.kind == PartKind::message && children != 1) || (p.kind == PartKind::leaf && children != 0)) {
      bad();
      return p;
    }
    p.children.reserve(children);
    for (std::size_t i = 0; i < children && is_ok_; ++i) {
      p.children.push_back(part(depth + 1));
      const Part& child = p.children.back();
      if (child.header_offset < p.body_offset || child.body_offset + child.body_size > p.body_offset + p.body_size) {
        bad();
      }
    }
    return p;
  }

 private:
  std::uint8_t bad() {
    is_ok_ = false;
    pos_ = in_.size();
    return 0;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  bool is_ok_ = true;
};

}  // namespace

std::string encode_structure(const Part& root) {
  Writer writer;
  for (char c : kMagic) writer.byte(static_cast<std::uint8_t>(c));
  writer.byte(kStructureCacheVersion);
  writer.part(root);
  return writer.take();
}

Result<Part> decode_structure(std::string_view bytes) {
  if (bytes.size() < kMagic.size() + 1 || bytes.substr(0, kMagic.size()) != kMagic) {
    return fail(Errc::invalid_syntax, "not a structure cache record");
  }
  if (static_cast<std::uint8_t>(bytes[kMagic.size()]) != kStructureCacheVersion) {
    return fail(Errc::invalid_syntax, "unsupported structure cache version");
  }
  Reader reader(bytes.substr(kMagic.size() + 1));
  Part root = reader.part(0);
  if (!reader.is_ok()) return fail(Errc::invalid_syntax, "corrupt structure cache record");
  if (!reader.at_end()) return fail(Errc::invalid_syntax, "trailing bytes after structure cache record");
  return root;
}

}  // namespace bulwark::parse::mime

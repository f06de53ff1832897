#include "parse/dkim/dkim_canon.h"

#include <map>

namespace bulwark::parse::dkim {
namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower(c);
  return out;
}

// The next line of `text` from `pos` without its line end; advances pos past the line end.
std::string_view next_line(std::string_view text, std::size_t& pos, bool* had_end) {
  auto lf = text.find('\n', pos);
  std::size_t end = lf == std::string_view::npos ? text.size() : lf;
  std::size_t stop = end;
  if (stop > pos && text[stop - 1] == '\r') --stop;
  std::string_view line = text.substr(pos, stop - pos);
  *had_end = lf != std::string_view::npos;
  pos = lf == std::string_view::npos ? text.size() : lf + 1;
  return line;
}

}  // namespace

SplitMessage split_message(std::string_view message) {
  SplitMessage out;
  std::size_t pos = 0;
  std::size_t field_start = std::string_view::npos;
  std::size_t field_end = 0;
  std::size_t colon = 0;
  auto flush = [&] {
    if (field_start != std::string_view::npos) {
      out.fields.push_back(HeaderField{message.substr(field_start, colon - field_start),
                                       message.substr(field_start, field_end - field_start)});
    }
    field_start = std::string_view::npos;
  };
  while (pos < message.size()) {
    std::size_t line_start = pos;
    bool had_end = false;
    std::string_view line = next_line(message, pos, &had_end);
    if (line.empty()) {
      flush();
      out.body = had_end ? message.substr(pos) : std::string_view();
      return out;
    }
    if (is_wsp(line.front())) {
      if (field_start != std::string_view::npos) field_end = line_start + line.size();
      continue;
    }
    flush();
    auto c = line.find(':');
    if (c == std::string_view::npos || c == 0) continue;
    field_start = line_start;
    colon = line_start + c;
    field_end = line_start + line.size();
  }
  flush();
  return out;
}

std::string relaxed_header(std::string_view raw) {
  auto c = raw.find(':');
  std::string_view name = c == std::string_view::npos ? raw : raw.substr(0, c);
  std::string_view value = c == std::string_view::npos ? std::string_view() : raw.substr(c + 1);
  std::string out;
  out.reserve(raw.size() + 2);
  // Name: lower case, WSP before the colon removed; a stray CR or LF (not a valid field name character) is
  // dropped like the line breaks of unfolding, so the output is one line whatever the input.
  std::string n;
  for (char ch : name) {
    if (ch != '\r' && ch != '\n') n += lower(ch);
  }
  while (!n.empty() && is_wsp(n.back())) n.pop_back();
  out += n;
  out += ':';
  bool pending_space = false;
  bool started = false;
  for (char ch : value) {
    if (ch == '\r' || ch == '\n') continue;  // unfold
    if (is_wsp(ch)) {
      pending_space = started;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    started = true;
    out += ch;
  }
  out += "\r\n";
  return out;
}

std::string relaxed_body(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  std::size_t pending_empty = 0;  // empty lines held back until a non-empty line shows they are not trailing
  std::size_t pos = 0;
  while (pos < body.size()) {
    bool had_end = false;
    std::string_view line = next_line(body, pos, &had_end);
    std::string canon;
    bool pending_space = false;
    for (char ch : line) {
      if (is_wsp(ch)) {
        pending_space = true;
        continue;
      }
      if (pending_space) canon += ' ';
      pending_space = false;
      canon += ch;
    }
    if (canon.empty()) {
      ++pending_empty;
      continue;
    }
    for (; pending_empty > 0; --pending_empty) out += "\r\n";
    out += canon;
    out += "\r\n";
  }
  return out;
}

std::vector<HeaderField> select_fields(const SplitMessage& message, const std::vector<std::string>& names,
                                       std::vector<std::string>* signed_names) {
  std::vector<HeaderField> out;
  std::map<std::string, std::size_t> used;  // per lower-case name: instances taken from the bottom
  for (const auto& wanted : names) {
    std::string key = lower(wanted);
    std::size_t skip = used[key];
    const HeaderField* found = nullptr;
    for (auto it = message.fields.rbegin(); it != message.fields.rend(); ++it) {
      std::string_view n = it->name;
      while (!n.empty() && is_wsp(n.back())) n.remove_suffix(1);
      if (lower(n) != key) continue;
      if (skip == 0) {
        found = &*it;
        break;
      }
      --skip;
    }
    if (!found) continue;
    ++used[key];
    out.push_back(*found);
    if (signed_names) signed_names->push_back(key);
  }
  return out;
}

}  // namespace bulwark::parse::dkim

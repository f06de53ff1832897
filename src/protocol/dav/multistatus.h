// Writing WebDAV multistatus bodies (RFC 4918 13, 14.16): responses with propstat per status, plain status
// responses, and the RFC 6578 sync-token. Namespaces used here get fixed prefixes declared once on the root;
// any other namespace a client asks about is declared on the element itself.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bulwark::protocol::dav {

struct PropName {
  std::string ns;
  std::string name;
  bool operator==(const PropName&) const = default;
};

struct PropValue {
  PropName name;
  std::string inner_xml;  // already escaped / well-formed content of the property element
};

// The element's opening and closing tags with the right prefix: "<d:getetag>", "</d:getetag>".
std::string open_tag(const PropName& name);
std::string close_tag(const PropName& name);
std::string empty_tag(const PropName& name);
std::string_view prefix_for(std::string_view ns);  // "d", "c", ... ; empty for other namespaces

class Multistatus {
 public:
  Multistatus();
  // One resource: found properties (200) and the requested ones it lacks (`missing_status`, usually 404).
  void add(std::string_view href, const std::vector<PropValue>& found, const std::vector<PropName>& missing,
           int missing_status = 404);
  // The same with one more found property whose content is `text`, escaped straight into the document: the
  // calendar or address data of a report, which would otherwise be escaped into a string and copied again.
  void add_with_text(std::string_view href, const std::vector<PropValue>& found, const PropName& text_name,
                     std::string_view text, const std::vector<PropName>& missing);
  void add_status(std::string_view href, int status, std::string_view error_xml = {});
  void set_sync_token(std::string token) { sync_token_ = std::move(token); }
  std::string render() const;
  // The finished document, moved out instead of copied (a year-long calendar REPORT is megabytes).
  std::string take() &&;
  void reserve(std::size_t bytes) { body_.reserve(body_.size() + bytes); }
  bool empty() const { return body_.size() == head_size_; }

 private:
  void add_response(std::string_view href, const std::vector<PropValue>& found, const PropName* text_name,
                    std::string_view text, const std::vector<PropName>& missing, int missing_status);

  std::string body_;  // starts with the document head
  std::size_t head_size_ = 0;
  std::string sync_token_;
};

std::string status_line(int status);  // "HTTP/1.1 404 Not Found"
// The document head every DAV XML body starts with, declaring the fixed prefixes on `root_element`.
std::string xml_root_open(std::string_view root_element);

}  // namespace bulwark::protocol::dav

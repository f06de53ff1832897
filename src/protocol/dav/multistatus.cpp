#include "protocol/dav/multistatus.h"

#include "parse/dav_xml/xml_tree.h"
#include "parse/dav_xml/xml_writer.h"
#include "protocol/http/http_message.h"

namespace bulwark::protocol::dav {

namespace xml = parse::dav_xml;

std::string_view prefix_for(std::string_view ns) {
  if (ns == xml::kDav) return "d";
  if (ns == xml::kCalDav) return "c";
  if (ns == xml::kCardDav) return "card";
  if (ns == xml::kCalendarServer) return "cs";
  if (ns == xml::kApple) return "ic";
  return {};
}

std::string open_tag(const PropName& name) {
  auto prefix = prefix_for(name.ns);
  if (prefix.empty()) {
    return "<x:" + name.name + " xmlns:x=\"" + xml::xml_escape(name.ns) + "\">";
  }
  return "<" + std::string(prefix) + ":" + name.name + ">";
}

std::string close_tag(const PropName& name) {
  auto prefix = prefix_for(name.ns);
  return "</" + std::string(prefix.empty() ? "x" : prefix) + ":" + name.name + ">";
}

std::string empty_tag(const PropName& name) {
  auto prefix = prefix_for(name.ns);
  if (prefix.empty()) return "<x:" + name.name + " xmlns:x=\"" + xml::xml_escape(name.ns) + "\"/>";
  return "<" + std::string(prefix) + ":" + name.name + "/>";
}

std::string status_line(int status) {
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(http::reason_phrase(status));
}

std::string xml_root_open(std::string_view root_element) {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<" + std::string(root_element) +
         " xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\""
         " xmlns:card=\"urn:ietf:params:xml:ns:carddav\" xmlns:cs=\"http://calendarserver.org/ns/\""
         " xmlns:ic=\"http://apple.com/ns/ical/\">";
}

void Multistatus::add(std::string_view href, const std::vector<PropValue>& found,
                      const std::vector<PropName>& missing, int missing_status) {
  body_ += "<d:response><d:href>" + xml::xml_escape(href) + "</d:href>";
  if (!found.empty()) {
    body_ += "<d:propstat><d:prop>";
    for (const auto& p : found) {
      body_ += p.inner_xml.empty() ? empty_tag(p.name) : open_tag(p.name) + p.inner_xml + close_tag(p.name);
    }
    body_ += "</d:prop><d:status>" + status_line(200) + "</d:status></d:propstat>";
  }
  if (!missing.empty()) {
    body_ += "<d:propstat><d:prop>";
    for (const auto& p : missing) body_ += empty_tag(p);
    body_ += "</d:prop><d:status>" + status_line(missing_status) + "</d:status></d:propstat>";
  }
  body_ += "</d:response>\n";
}

void Multistatus::add_status(std::string_view href, int status, std::string_view error_xml) {
  body_ += "<d:response><d:href>" + xml::xml_escape(href) + "</d:href><d:status>" + status_line(status) +
           "</d:status>";
  if (!error_xml.empty()) body_ += "<d:error>" + std::string(error_xml) + "</d:error>";
  body_ += "</d:response>\n";
}

std::string Multistatus::render() const {
  std::string out = xml_root_open("d:multistatus") + "\n" + body_;
  if (!sync_token_.empty()) out += "<d:sync-token>" + xml::xml_escape(sync_token_) + "</d:sync-token>\n";
  out += "</d:multistatus>\n";
  return out;
}

}  // namespace bulwark::protocol::dav

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

namespace {

// open_tag / close_tag appended in place (add() runs once per resource of a report: thousands of times).
void append_open_tag(std::string& out, const PropName& name) {
  auto prefix = prefix_for(name.ns);
  if (prefix.empty()) {
    out += open_tag(name);
    return;
  }
  out += '<';
  out += prefix;
  out += ':';
  out += name.name;
  out += '>';
}

void append_close_tag(std::string& out, const PropName& name) {
  auto prefix = prefix_for(name.ns);
  out += "</";
  out += prefix.empty() ? std::string_view("x") : prefix;
  out += ':';
  out += name.name;
  out += '>';
}

}  // namespace

Multistatus::Multistatus() : body_(xml_root_open("d:multistatus") + "\n"), head_size_(body_.size()) {}

void Multistatus::add(std::string_view href, const std::vector<PropValue>& found,
                      const std::vector<PropName>& missing, int missing_status) {
  add_response(href, found, nullptr, {}, missing, missing_status);
}

void Multistatus::add_with_text(std::string_view href, const std::vector<PropValue>& found,
                                const PropName& text_name, std::string_view text,
                                const std::vector<PropName>& missing) {
  add_response(href, found, &text_name, text, missing, 404);
}

void Multistatus::add_response(std::string_view href, const std::vector<PropValue>& found,
                               const PropName* text_name, std::string_view text,
                               const std::vector<PropName>& missing, int missing_status) {
  body_ += "<d:response><d:href>";
  xml::append_xml_escaped(body_, href);
  body_ += "</d:href>";
  if (!found.empty() || text_name) {
    body_ += "<d:propstat><d:prop>";
    for (const auto& p : found) {
      if (p.inner_xml.empty()) {
        body_ += empty_tag(p.name);
        continue;
      }
      append_open_tag(body_, p.name);
      body_ += p.inner_xml;
      append_close_tag(body_, p.name);
    }
    if (text_name && text.empty()) {
      body_ += empty_tag(*text_name);
    } else if (text_name) {
      append_open_tag(body_, *text_name);
      xml::append_xml_escaped(body_, text);
      append_close_tag(body_, *text_name);
    }
    body_ += "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>";
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
  std::string out = body_;
  if (!sync_token_.empty()) out += "<d:sync-token>" + xml::xml_escape(sync_token_) + "</d:sync-token>\n";
  out += "</d:multistatus>\n";
  return out;
}

std::string Multistatus::take() && {
  if (!sync_token_.empty()) body_ += "<d:sync-token>" + xml::xml_escape(sync_token_) + "</d:sync-token>\n";
  body_ += "</d:multistatus>\n";
  return std::move(body_);
}

}  // namespace bulwark::protocol::dav

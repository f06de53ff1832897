#include "parse/dav_xml/xml_writer.h"
#include "protocol/dav/dav_context.h"

namespace bulwark::protocol::dav {

int status_for(Errc code) {
  switch (code) {
    case Errc::not_found: return 404;
    case Errc::already_exists: return 405;  // RFC 4918 9.3.1: MKCOL on an existing resource
    case Errc::permission_denied: return 403;
    case Errc::quota_exceeded: return 507;
    case Errc::too_big: return 413;
    case Errc::invalid_syntax:
    case Errc::invalid_argument: return 400;
    case Errc::temporary_failure:
    case Errc::unavailable: return 503;
    case Errc::internal: return 500;
  }
  return 500;
}

HttpResponse error_response(const Error& error) {
  int status = status_for(error.code);
  // Internal details go to the log (the session logs the status); the client gets the category only.
  bool tell = error.code == Errc::invalid_syntax || error.code == Errc::invalid_argument || error.code == Errc::too_big;
  return HttpResponse::text(status, (tell ? error.detail : std::string(http::reason_phrase(status))) + "\n");
}

HttpResponse xml_response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.with("Content-Type", "application/xml; charset=utf-8");
  return r;
}

HttpResponse precondition_response(int status, std::string_view ns, std::string_view name, std::string_view message,
                                   std::string_view inner_xml) {
  PropName element{std::string(ns), std::string(name)};
  std::string body = xml_root_open("d:error") +
                     (inner_xml.empty() ? empty_tag(element) : open_tag(element) + std::string(inner_xml) +
                                                                   close_tag(element)) +
                     "<b:message xmlns:b=\"http://bulwark.invalid/ns\">" + parse::dav_xml::xml_escape(message) +
                     "</b:message></d:error>\n";
  return xml_response(status, std::move(body));
}

}  // namespace bulwark::protocol::dav

// HTTP/1.1 requests and responses as plain values (RFC 9110, 9112), so that the DAV front-end and its tests never
// see Beast or Asio. The session (http_session.cpp) fills HttpRequest with Beast's parser and writes HttpResponse.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bulwark::protocol::http {

struct HttpRequest {
  std::string method;  // as sent: "PROPFIND"
  std::string target;  // request-target: "/dav/calendars/alice%40example.org/default/"
  std::map<std::string, std::string> headers;  // lower-cased names; repeated headers joined with ", "
  std::string body;
  bool is_tls = false;

  std::optional<std::string_view> header(std::string_view lower_name) const {
    auto it = headers.find(std::string(lower_name));
    if (it == headers.end()) return std::nullopt;
    return std::string_view(it->second);
  }
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;  // end the connection after this response

  HttpResponse& with(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  static HttpResponse text(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.with("Content-Type", "text/plain; charset=utf-8");
    return r;
  }
};

std::string_view reason_phrase(int status);
// The response's status line, headers (with Content-Length) and, unless `head_only`, its body.
std::string serialize(const HttpResponse& response, bool head_only, bool keep_alive);

}  // namespace bulwark::protocol::http

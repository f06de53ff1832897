// MIME header values with parameters: Content-Type (RFC 2045 5.1), Content-Disposition (RFC 2183 2),
// Content-Language (RFC 3282 2), with RFC 2231 3-4 parameter continuations and charset/language values.
//
// Contract: input is an unfolded header value. Parsing is tolerant (comments anywhere, unquoted values with
// spaces or specials up to the next ';', parameters without '=' dropped), bounded (kMaxParameters) and never
// throws. Names come back lower-case, values as written without quotes.
// RFC 2231 continuations ("name*0", "name*1*") are merged into one parameter. A merged value with any
// extended segment is kept in its encoded form under the name "name*" ("charset'lang'%XX..."), so that it can
// be reported unchanged in BODYSTRUCTURE; decoded_parameter() turns it into UTF-8.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::parse::mime {

inline constexpr std::size_t kMaxParameters = 100;

struct Parameter {
  std::string name;   // lower-case; ends in '*' for an RFC 2231 extended value
  std::string value;  // unquoted
  bool operator==(const Parameter&) const = default;
};

struct ContentType {
  std::string type;     // lower-case
  std::string subtype;  // lower-case
  std::vector<Parameter> params;
  bool operator==(const ContentType&) const = default;
};

struct Disposition {
  std::string type;  // lower-case, e.g. "inline", "attachment"
  std::vector<Parameter> params;
  bool operator==(const Disposition&) const = default;
};

// nullopt when the value has no valid "type/subtype" (RFC 2045 5.2: the caller then uses the default).
[[nodiscard]] std::optional<ContentType> parse_content_type(std::string_view value);
// nullopt when the value has no disposition type.
[[nodiscard]] std::optional<Disposition> parse_disposition(std::string_view value);
// Parses "; name=value; ..." (the leading ';' is optional) and merges RFC 2231 continuations.
[[nodiscard]] std::vector<Parameter> parse_parameters(std::string_view text);
// RFC 3282: comma-separated language tags, comments and whitespace removed.
[[nodiscard]] std::vector<std::string> parse_language_list(std::string_view value);

// Exact lookup by (case-insensitive) name; nullptr when absent.
[[nodiscard]] const Parameter* find_parameter(const std::vector<Parameter>& params, std::string_view name);
// The value of `name` as UTF-8: from "name*" (RFC 2231 4, charset converted) when present and decodable,
// otherwise from "name" with RFC 2047 encoded-words decoded (common non-standard practice for filenames).
[[nodiscard]] std::optional<std::string> decoded_parameter(const std::vector<Parameter>& params,
                                                           std::string_view name);

}  // namespace bulwark::parse::mime

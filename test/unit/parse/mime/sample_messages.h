// Loads the sample messages of messages/. Files are stored with LF line ends and returned with CRLF, as a
// store keeps them, except files whose name contains "bare_lf", returned as they are.
#pragma once

#include <fstream>
#include <iterator>
#include <string>

namespace bulwark::parse::mime::testing {

inline std::string load_sample(const std::string& name) {
  std::ifstream in(std::string(BULWARK_MIME_MESSAGES_DIR) + "/" + name, std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (name.find("bare_lf") != std::string::npos) return raw;
  std::string crlf;
  crlf.reserve(raw.size() + raw.size() / 16);
  for (char c : raw) {
    if (c == '\n') crlf.push_back('\r');
    crlf.push_back(c);
  }
  return crlf;
}

}  // namespace bulwark::parse::mime::testing

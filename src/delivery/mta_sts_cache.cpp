#include "delivery/mta_sts_cache.h"

#include <fstream>
#include <sstream>

namespace bulwark::delivery {

std::optional<std::filesystem::path> MtaStsCache::path_for(const std::string& domain) const {
  // Domains reach here lower-cased from the queue; anything else cannot name a file safely.
  if (domain.empty() || domain.size() > 253 || domain.front() == '.') return std::nullopt;
  for (char c : domain) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) return std::nullopt;
  }
  return dir_ / (domain + ".policy");
}

std::optional<CachedPolicy> MtaStsCache::get(const std::string& domain) {
  auto path = path_for(domain);
  if (!path) return std::nullopt;
  std::lock_guard lock(mutex_);
  std::ifstream in(*path, std::ios::binary);
  if (!in) return std::nullopt;
  CachedPolicy out;
  std::string id_key, fetched_key;
  std::string header;
  if (!std::getline(in, header)) return std::nullopt;
  std::istringstream fields(header);
  if (!(fields >> id_key >> out.id >> fetched_key >> out.fetched) || id_key != "id" || fetched_key != "fetched") {
    return std::nullopt;
  }
  std::ostringstream rest;
  rest << in.rdbuf();
  out.text = rest.str();
  auto policy = parse::mta_sts::parse_policy(out.text);
  if (!policy) return std::nullopt;
  out.policy = std::move(*policy);
  return out;
}

Status MtaStsCache::put(const std::string& domain, const CachedPolicy& policy) {
  auto path = path_for(domain);
  if (!path) return fail(Errc::invalid_argument, "unusable domain for the MTA-STS cache: " + domain);
  std::lock_guard lock(mutex_);
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return fail(Errc::internal, "cannot create " + dir_.string() + ": " + ec.message());
  auto tmp = *path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << "id " << policy.id << " fetched " << policy.fetched << "\n" << policy.text;
    out.flush();
    if (!out) return fail(Errc::internal, "cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, *path, ec);
  if (ec) return fail(Errc::internal, "cannot rename " + tmp.string() + ": " + ec.message());
  return ok();
}

}  // namespace bulwark::delivery

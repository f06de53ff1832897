#include "delivery/dkim_signer.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <cstdio>

#include "parse/dkim/dkim_canon.h"
#include "parse/sasl/base64.h"

namespace bulwark::delivery {

struct DkimKey {
  std::string selector;
  DkimAlgorithm algorithm = DkimAlgorithm::rsa_sha256;
  std::shared_ptr<EVP_PKEY> pkey;
};

namespace {

std::string openssl_error() {
  char buf[256];
  ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
  return buf;
}

std::string sha256(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

bool valid_label_text(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_')) return false;
  }
  return s.front() != '.' && s.find("..") == std::string::npos;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Result<std::string> sign_bytes(const DkimKey& key, std::string_view data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::string input;
  const EVP_MD* md = nullptr;
  if (key.algorithm == DkimAlgorithm::rsa_sha256) {
    md = EVP_sha256();
    input = std::string(data);
  } else {
    input = sha256(data);  // RFC 8463 3: Ed25519 (pure) over the SHA-256 hash of the canonicalized data
  }
  if (EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key.pkey.get()) != 1) {
    return fail(Errc::internal, "DKIM sign init: " + openssl_error());
  }
  std::size_t len = 0;
  auto* in = reinterpret_cast<const unsigned char*>(input.data());
  if (EVP_DigestSign(ctx.get(), nullptr, &len, in, input.size()) != 1) {
    return fail(Errc::internal, "DKIM sign: " + openssl_error());
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in, input.size()) != 1) {
    return fail(Errc::internal, "DKIM sign: " + openssl_error());
  }
  sig.resize(len);
  return sig;
}

// Folds a long tag value (b=, bh=) at 72 columns so the header stays within line limits.
std::string fold(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 72) {
    if (i) out += "\r\n\t ";
    out += text.substr(i, 72);
  }
  return out;
}

}  // namespace

const std::vector<std::string>& dkim_signed_headers() {
  static const std::vector<std::string> names{"from", "reply-to", "subject", "date", "to", "cc", "message-id",
                                              "in-reply-to", "references", "mime-version", "content-type",
                                              "content-transfer-encoding"};
  return names;
}

DkimSigner::DkimSigner(std::filesystem::path dir) : dir_(std::move(dir)) {}
DkimSigner::~DkimSigner() = default;

Result<std::shared_ptr<const std::vector<DkimKey>>> DkimSigner::keys_for(const std::string& domain) {
  std::lock_guard lock(mutex_);
  if (auto it = cache_.find(domain); it != cache_.end()) return it->second;
  auto keys = std::make_shared<std::vector<DkimKey>>();
  std::error_code ec;
  auto folder = dir_ / domain;
  if (valid_label_text(domain) && std::filesystem::is_directory(folder, ec)) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
      if (entry.path().extension() == ".pem") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      FILE* f = std::fopen(file.c_str(), "r");
      if (!f) return fail(Errc::internal, "DKIM: cannot read " + file.string());
      EVP_PKEY* raw = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
      std::fclose(f);
      if (!raw) return fail(Errc::internal, "DKIM: " + file.string() + ": " + openssl_error());
      DkimKey key;
      key.pkey.reset(raw, &EVP_PKEY_free);
      key.selector = file.stem().string();
      if (EVP_PKEY_get_base_id(raw) == EVP_PKEY_ED25519) key.algorithm = DkimAlgorithm::ed25519_sha256;
      else if (EVP_PKEY_get_base_id(raw) == EVP_PKEY_RSA) key.algorithm = DkimAlgorithm::rsa_sha256;
      else return fail(Errc::internal, "DKIM: " + file.string() + ": neither an RSA nor an Ed25519 key");
      keys->push_back(std::move(key));
    }
  }
  std::shared_ptr<const std::vector<DkimKey>> result = keys;
  cache_[domain] = result;
  return result;
}

Result<std::string> DkimSigner::sign(const std::string& domain_in, std::string_view message, std::int64_t now) {
  std::string domain = lower(domain_in);
  BULWARK_TRY_ASSIGN(auto keys, keys_for(domain));
  if (keys->empty()) return std::string();
  auto split = parse::dkim::split_message(message);
  std::vector<std::string> names;
  auto fields = parse::dkim::select_fields(split, dkim_signed_headers(), &names);
  std::string h;
  for (const auto& n : names) h += (h.empty() ? "" : ":") + n;
  std::string canonical_headers;
  for (const auto& f : fields) canonical_headers += parse::dkim::relaxed_header(f.raw);
  const std::string body_hash = parse::sasl::base64_encode(sha256(parse::dkim::relaxed_body(split.body)));
  std::string out;
  for (const auto& key : *keys) {
    const char* a = key.algorithm == DkimAlgorithm::rsa_sha256 ? "rsa-sha256" : "ed25519-sha256";
    std::string field = "DKIM-Signature: v=1; a=" + std::string(a) + "; c=relaxed/relaxed; d=" + domain +
                        "; s=" + key.selector + ";\r\n\tt=" + std::to_string(now) + "; h=" + h + ";\r\n\tbh=" +
                        fold(body_hash) + ";\r\n\tb=";
    // RFC 6376 3.7: the signature field itself, b= empty, canonicalized, without its trailing CRLF.
    std::string to_sign = canonical_headers + parse::dkim::relaxed_header(field);
    to_sign.resize(to_sign.size() - 2);
    BULWARK_TRY_ASSIGN(auto sig, sign_bytes(key, to_sign));
    out += field + fold(parse::sasl::base64_encode(sig)) + "\r\n";
  }
  return out;
}

Result<std::string> generate_dkim_key(const std::filesystem::path& dir, const std::string& domain_in,
                                      const std::string& selector, DkimAlgorithm algorithm, bool replace) {
  std::string domain = lower(domain_in);
  if (!valid_label_text(domain)) return fail(Errc::invalid_argument, "invalid domain '" + domain_in + "'");
  if (!valid_label_text(selector) || selector.find('.') != std::string::npos) {
    return fail(Errc::invalid_argument, "invalid selector '" + selector + "' (letters, digits, - and _)");
  }
  std::error_code ec;
  std::filesystem::create_directories(dir / domain, ec);
  if (ec) return fail(Errc::internal, "cannot create " + (dir / domain).string() + ": " + ec.message());
  auto path = dir / domain / (selector + ".pem");
  if (!replace && std::filesystem::exists(path, ec)) {
    return fail(Errc::already_exists, path.string() + " exists (use --force to replace it)");
  }
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      algorithm == DkimAlgorithm::rsa_sha256 ? EVP_RSA_gen(2048) : EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"),
      &EVP_PKEY_free);
  if (!pkey) return fail(Errc::internal, "key generation failed: " + openssl_error());
  auto tmp = path.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Errc::internal, "cannot write " + tmp);
  FILE* f = ::fdopen(fd, "w");
  bool written = f && PEM_write_PrivateKey(f, pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  if (f) {
    std::fflush(f);
    ::fsync(fd);
    std::fclose(f);
  }
  if (!written) return fail(Errc::internal, "cannot write " + tmp + ": " + openssl_error());
  std::filesystem::rename(tmp, path, ec);
  if (ec) return fail(Errc::internal, "cannot rename " + tmp + ": " + ec.message());

  std::string public_key;
  if (algorithm == DkimAlgorithm::rsa_sha256) {
    // p= is the DER SubjectPublicKeyInfo (RFC 6376 3.6.1).
    int len = i2d_PUBKEY(pkey.get(), nullptr);
    if (len <= 0) return fail(Errc::internal, "cannot encode the public key");
    public_key.resize(static_cast<std::size_t>(len));
    auto* p = reinterpret_cast<unsigned char*>(public_key.data());
    i2d_PUBKEY(pkey.get(), &p);
  } else {
    // RFC 8463 4: p= is the raw 32-byte Ed25519 public key.
    std::size_t len = 32;
    public_key.resize(len);
    if (EVP_PKEY_get_raw_public_key(pkey.get(), reinterpret_cast<unsigned char*>(public_key.data()), &len) != 1) {
      return fail(Errc::internal, "cannot encode the public key");
    }
    public_key.resize(len);
  }
  return std::string("v=DKIM1; k=") + (algorithm == DkimAlgorithm::rsa_sha256 ? "rsa" : "ed25519") +
         "; p=" + parse::sasl::base64_encode(public_key);
}

}  // namespace bulwark::delivery

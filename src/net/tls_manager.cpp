#include "net/tls_manager.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>

namespace bulwark::net {
namespace {

std::string openssl_error() {
  char buf[256];
  ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
  return buf;
}

Status write_pem(const std::filesystem::path& path, mode_t mode, bool key, EVP_PKEY* pkey, X509* cert) {
  auto tmp = path.string() + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "w");
  if (!f) return fail(Errc::internal, "cannot write " + tmp);
  ::chmod(tmp.c_str(), mode);
  int ok = key ? PEM_write_PrivateKey(f, pkey, nullptr, nullptr, 0, nullptr, nullptr) : PEM_write_X509(f, cert);
  std::fflush(f);
  ::fsync(fileno(f));
  std::fclose(f);
  if (!ok) return fail(Errc::internal, "cannot write " + tmp + ": " + openssl_error());
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return fail(Errc::internal, "cannot rename " + tmp + ": " + ec.message());
  return bulwark::ok();
}

// RSA 2048 for the widest client support; SAN = hostname; ten years, since nobody renews a self-signed cert.
Status generate_self_signed(const std::string& hostname, const CertificatePaths& paths) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(EVP_RSA_gen(2048), &EVP_PKEY_free);
  if (!pkey) return fail(Errc::internal, "RSA key generation failed: " + openssl_error());
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), &X509_free);
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return fail(Errc::internal, "no randomness");
  serial[0] &= 0x7f;
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(BN_bin2bn(serial, sizeof serial, nullptr), &BN_free);
  BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3650L * 24 * 3600);
  X509_set_pubkey(cert.get(), pkey.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Bulwark self-signed"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(hostname.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  std::string san = "DNS:" + hostname;
  if (X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san.c_str())) {
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (!X509_sign(cert.get(), pkey.get(), EVP_sha256())) return fail(Errc::internal, "signing failed: " + openssl_error());
  BULWARK_TRY(write_pem(paths.private_key, 0600, true, pkey.get(), nullptr));
  return write_pem(paths.certificate, 0644, false, nullptr, cert.get());
}

}  // namespace

Result<CertificatePaths> ensure_certificate(const Config& config) {
  if (!config.tls.certificate.empty()) return CertificatePaths{config.tls.certificate, config.tls.private_key};
  auto dir = config.data_dir / "tls";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(Errc::internal, "cannot create " + dir.string() + ": " + ec.message());
  CertificatePaths paths{dir / "self-signed.crt", dir / "self-signed.key"};
  if (!std::filesystem::exists(paths.certificate, ec) || !std::filesystem::exists(paths.private_key, ec)) {
    BULWARK_TRY(generate_self_signed(config.hostname, paths));
  }
  return paths;
}

Status TlsManager::load(const CertificatePaths& paths) {
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  // TLS 1.2 and 1.3 only; no compression, no renegotiation; server cipher preference.
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                       asio::ssl::context::no_compression | asio::ssl::context::single_dh_use);
  SSL_CTX_set_options(context->native_handle(), SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  boost::system::error_code ec;
  context->use_certificate_chain_file(paths.certificate.string(), ec);
  if (ec) return fail(Errc::invalid_argument, "tls: cannot load certificate " + paths.certificate.string() + ": " + ec.message());
  context->use_private_key_file(paths.private_key.string(), asio::ssl::context::pem, ec);
  if (ec) return fail(Errc::invalid_argument, "tls: cannot load private key " + paths.private_key.string() + ": " + ec.message());
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return fail(Errc::invalid_argument, "tls: the private key does not match the certificate");
  }
  std::lock_guard lock(mutex_);
  context_ = std::move(context);
  return ok();
}

std::shared_ptr<asio::ssl::context> TlsManager::current() const {
  std::lock_guard lock(mutex_);
  return context_;
}

}  // namespace bulwark::net

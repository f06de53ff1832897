// DeflateCodec: the two zlib streams of an IMAP COMPRESS=DEFLATE connection (RFC 4978): raw deflate (RFC 1951,
// no zlib header) in both directions, each write flushed with Z_SYNC_FLUSH so the peer can decode it at once.
// Memory is bounded: a 8 KiB deflate window with memLevel 6 (about 64 KiB) for what the server sends, the 32 KiB
// window the RFC requires for what the client sends, and callers' buffers bound each step's output (a small
// input cannot make the server inflate more than the caller asked for).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace bulwark::net {

class DeflateCodec {
 public:
  DeflateCodec();
  ~DeflateCodec();
  DeflateCodec(const DeflateCodec&) = delete;
  DeflateCodec& operator=(const DeflateCodec&) = delete;

  // Compresses `data` and appends it, sync-flushed, to `out`. False on a zlib failure.
  [[nodiscard]] bool compress(std::string_view data, std::string& out);

  // Hands compressed input over; it must stay alive and unchanged until has_input() is false.
  void set_input(std::span<const char> compressed);
  [[nodiscard]] bool has_input() const;
  // Decompresses into `out` as much as fits from the input given. Returns the bytes written, or -1 when the
  // input is not a valid deflate stream (or the stream ended: RFC 4978 has no end of compression).
  [[nodiscard]] std::ptrdiff_t decompress(std::span<char> out);

 private:
  struct Streams;
  std::unique_ptr<Streams> streams_;
};

}  // namespace bulwark::net

#include "net/deflate_codec.h"

#include <new>

#include <zlib.h>

namespace bulwark::net {
namespace {

constexpr int kDeflateWindowBits = 13;  // 8 KiB history for the server's direction
constexpr int kDeflateMemLevel = 6;
constexpr int kInflateWindowBits = 15;  // clients may use the full 32 KiB window
constexpr std::size_t kOutputStep = 16 * 1024;

}  // namespace

struct DeflateCodec::Streams {
  z_stream deflater{};
  z_stream inflater{};
  bool has_ended = false;
};

DeflateCodec::DeflateCodec() : streams_(std::make_unique<Streams>()) {
  if (deflateInit2(&streams_->deflater, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -kDeflateWindowBits, kDeflateMemLevel,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::bad_alloc();
  }
  if (inflateInit2(&streams_->inflater, -kInflateWindowBits) != Z_OK) {
    deflateEnd(&streams_->deflater);
    throw std::bad_alloc();
  }
}

DeflateCodec::~DeflateCodec() {
  deflateEnd(&streams_->deflater);
  inflateEnd(&streams_->inflater);
}

bool DeflateCodec::compress(std::string_view data, std::string& out) {
  auto& z = streams_->deflater;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  for (;;) {
    const auto old = out.size();
    out.resize(old + kOutputStep);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + old);
    z.avail_out = static_cast<uInt>(kOutputStep);
    const int rc = deflate(&z, Z_SYNC_FLUSH);
    out.resize(old + kOutputStep - z.avail_out);
    if (rc != Z_OK && rc != Z_BUF_ERROR) return false;
    // Z_SYNC_FLUSH is complete when deflate left output space unused.
    if (z.avail_in == 0 && z.avail_out != 0) return true;
  }
}

void DeflateCodec::set_input(std::span<const char> compressed) {
  auto& z = streams_->inflater;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z.avail_in = static_cast<uInt>(compressed.size());
}

bool DeflateCodec::has_input() const { return streams_->inflater.avail_in != 0; }

std::ptrdiff_t DeflateCodec::decompress(std::span<char> out) {
  if (streams_->has_ended) return -1;
  auto& z = streams_->inflater;
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&z, Z_SYNC_FLUSH);
  const auto produced = static_cast<std::ptrdiff_t>(out.size() - z.avail_out);
  if (rc == Z_STREAM_END) {
    streams_->has_ended = true;
    return produced > 0 ? produced : -1;
  }
  if (rc != Z_OK && rc != Z_BUF_ERROR) return -1;
  return produced;
}

}  // namespace bulwark::net

// Feeds arbitrary bytes, split at an input-chosen point, to DeflateCodec::decompress with a small output buffer,
// as Stream::read_some does after COMPRESS DEFLATE: it must never crash, never write past the buffer, and stop
// at the first error. What it inflates is compressed again and must round-trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "net/deflate_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t split = data[0] % (size + 1);
  const char* bytes = reinterpret_cast<const char*>(data);
  bulwark::net::DeflateCodec codec;
  std::string inflated;
  char buffer[512];
  for (auto part : {std::span<const char>(bytes, split), std::span<const char>(bytes + split, size - split)}) {
    codec.set_input(part);
    for (int steps = 0; steps < 1 << 16; ++steps) {
      const auto n = codec.decompress(std::span<char>(buffer, sizeof buffer));
      if (n < 0) return 0;
      if (static_cast<std::size_t>(n) > sizeof buffer) std::abort();
      inflated.append(buffer, static_cast<std::size_t>(n));
      if (!codec.has_input() && static_cast<std::size_t>(n) < sizeof buffer) break;
    }
  }
  bulwark::net::DeflateCodec a, b;
  std::string wire;
  if (!a.compress(inflated, wire)) std::abort();
  b.set_input(std::span<const char>(wire.data(), wire.size()));
  std::string back;
  for (;;) {
    const auto n = b.decompress(std::span<char>(buffer, sizeof buffer));
    if (n < 0) std::abort();
    back.append(buffer, static_cast<std::size_t>(n));
    if (!b.has_input() && static_cast<std::size_t>(n) < sizeof buffer) break;
  }
  if (back != inflated) std::abort();
  return 0;
}

#include "net/deflate_codec.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark::net {
namespace {

// Inflates everything `codec` was given, in steps of `step` bytes of output.
std::string inflate_all(DeflateCodec& codec, std::size_t step) {
  std::string out;
  std::string buffer(step, '\0');
  for (;;) {
    auto n = codec.decompress(std::span<char>(buffer.data(), buffer.size()));
    EXPECT_GE(n, 0);
    if (n <= 0) break;
    out.append(buffer.data(), static_cast<std::size_t>(n));
    if (!codec.has_input() && static_cast<std::size_t>(n) < step) break;
  }
  return out;
}

TEST(DeflateCodec, RoundTripsEachWriteOnItsOwn) {
  DeflateCodec server, client;
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "* " + std::to_string(i) + " FETCH (FLAGS (\\Seen))\r\n";
  std::string wire;
  ASSERT_TRUE(server.compress(text, wire));
  EXPECT_LT(wire.size(), text.size() / 4);
  client.set_input(std::span<const char>(wire.data(), wire.size()));
  // Small output steps: the output is bounded by the caller's buffer, and nothing is lost between steps.
  EXPECT_EQ(inflate_all(client, 100), text);
  // A second write is decodable at once (sync flush), continuing the same stream.
  std::string wire2;
  ASSERT_TRUE(server.compress("a OK done\r\n", wire2));
  client.set_input(std::span<const char>(wire2.data(), wire2.size()));
  EXPECT_EQ(inflate_all(client, 4096), "a OK done\r\n");
}

TEST(DeflateCodec, InputSplitAnywhereGivesTheSameBytes) {
  DeflateCodec server, client;
  const std::string text = "a001 APPEND INBOX {11+}\r\nhello world\r\n";
  std::string wire;
  ASSERT_TRUE(server.compress(text, wire));
  std::string out;
  for (char c : wire) {
    client.set_input(std::span<const char>(&c, 1));
    out += inflate_all(client, 64);
  }
  EXPECT_EQ(out, text);
}

TEST(DeflateCodec, GarbageIsAnError) {
  DeflateCodec client;
  const std::string garbage(64, '\xff');
  client.set_input(std::span<const char>(garbage.data(), garbage.size()));
  char buffer[256];
  EXPECT_EQ(client.decompress(std::span<char>(buffer, sizeof buffer)), -1);
}

TEST(DeflateCodec, HighlyCompressibleInputIsInflatedOnlyAsFarAsAsked) {
  DeflateCodec server, client;
  const std::string zeros(4 << 20, '\0');
  std::string wire;
  ASSERT_TRUE(server.compress(zeros, wire));
  client.set_input(std::span<const char>(wire.data(), wire.size()));
  char buffer[1024];
  EXPECT_EQ(client.decompress(std::span<char>(buffer, sizeof buffer)), 1024);
}

}  // namespace
}  // namespace bulwark::net

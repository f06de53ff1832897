// smtp_load: a bounded SMTP load generator for side-by-side benchmarks (docs/benchmarks.md, "SMTP: Bulwark vs
// Postfix"). N sessions (Boost.Asio coroutines on one thread) send M messages in total of exactly --size bytes
// each (the DATA content before the terminating ".", no line needs dot-stuffing) to one recipient, and print one
// line of JSON: accepted messages per second of wall time, latency percentiles and errors.
//
// Latency of a message: from writing MAIL FROM to reading the final reply after the data ("250"), so it covers
// MAIL, RCPT, DATA and the server's durable acceptance, not connect/greeting/EHLO. Commands are sent one at a
// time (no pipelining), the same way to every server.
//
// --auth USER:PASSWORD: AUTH PLAIN after EHLO. --starttls: STARTTLS (no certificate check) and EHLO again
// before it, as a submission port demands. --rcpt may be
// given several times: message n goes to the (n mod count)-th, e.g. one recipient per destination domain.
//
// --reuse: each session opens one connection and sends its messages over it (EHLO once, QUIT at the end).
// Without it: one connection per message (connect, greeting, EHLO, one transaction, QUIT).
//
// Bounded: at most --messages transactions are started, none after --seconds, and at --seconds + --grace every
// socket is closed and the run ends, whatever the server does. Only 127.0.0.0/8 targets are accepted.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string host = "127.0.0.1";
  unsigned short port = 25;
  unsigned sessions = 1;
  std::uint64_t messages = 100;
  std::size_t size = 4096;
  bool reuse = false;
  double seconds = 30;
  double grace = 10;
  std::string from = "load@bench.example";
  std::vector<std::string> rcpts;  // empty: sink@example.com
  std::string auth;                // "user:password", empty: no AUTH
  bool starttls = false;
  std::string label;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "smtp_load: %s\n"
               "usage: smtp_load --port P [--host 127.0.0.1] [--sessions N] [--messages M] [--size BYTES] [--reuse]\n"
               "                 [--seconds S] [--grace S] [--from ADDR] [--rcpt ADDR]... [--starttls] [--auth USER:PASSWORD]\n"
               "                 [--label TEXT]\n",
               why);
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options o;
  auto number = [](const char* text, double lo, double hi, const char* name) {
    char* end = nullptr;
    double v = std::strtod(text, &end);
    if (end == text || *end != '\0' || !(v >= lo && v <= hi)) usage(name);
    return v;
  };
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage("missing option value");
      return argv[++i];
    };
    if (a == "--host") o.host = value();
    else if (a == "--port") o.port = static_cast<unsigned short>(number(value(), 1, 65535, "bad --port"));
    else if (a == "--sessions") o.sessions = static_cast<unsigned>(number(value(), 1, 10000, "bad --sessions"));
    else if (a == "--messages") o.messages = static_cast<std::uint64_t>(number(value(), 1, 1e8, "bad --messages"));
    else if (a == "--size") o.size = static_cast<std::size_t>(number(value(), 256, 64e6, "bad --size (256 .. 64M)"));
    else if (a == "--reuse") o.reuse = true;
    else if (a == "--seconds") o.seconds = number(value(), 0.1, 3600, "bad --seconds");
    else if (a == "--grace") o.grace = number(value(), 0.1, 600, "bad --grace");
    else if (a == "--from") o.from = value();
    else if (a == "--rcpt") o.rcpts.push_back(value());
    else if (a == "--auth") o.auth = value();
    else if (a == "--starttls") o.starttls = true;
    else if (a == "--label") o.label = value();
    else usage("unknown option");
  }
  if (o.rcpts.empty()) o.rcpts.push_back("sink@example.com");
  if (!o.auth.empty() && o.auth.find(':') == std::string::npos) usage("--auth needs USER:PASSWORD");
  return o;
}

// One message of exactly `size` octets: headers, then 76-character lines of letters. The Message-ID carries a
// fixed-width counter that is patched per message, so no two messages are identical (Bulwark's blob store is
// content-addressed; identical messages would skip their writes).
class MessageTemplate {
 public:
  MessageTemplate(std::size_t size, const std::string& from, const std::string& rcpt) {
    text_ = "From: <" + from + ">\r\nTo: <" + rcpt + ">\r\nSubject: smtp_load\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\n";
    text_ += "Message-ID: <";
    counter_at_ = text_.size();
    text_ += std::string(kDigits, '0') + "@smtp-load.bench>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n";
    if (text_.size() + 2 > size) usage("--size too small for the headers");
    std::size_t left = size - text_.size();  // the body: 76-letter lines, then one shorter line; all end in CRLF
    while (left >= 78 + 2) {
      for (std::size_t col = 0; col < 76; ++col) text_ += static_cast<char>('a' + col % 26);
      text_ += "\r\n";
      left -= 78;
    }
    for (std::size_t col = 0; col + 2 < left; ++col) text_ += static_cast<char>('a' + col % 26);
    text_ += "\r\n";
  }

  std::string make(std::uint64_t n) const {
    std::string m = text_;
    for (std::size_t i = 0; i < kDigits; ++i) {
      m[counter_at_ + kDigits - 1 - i] = static_cast<char>('0' + n % 10);
      n /= 10;
    }
    return m;
  }

 private:
  static constexpr std::size_t kDigits = 20;
  std::string text_;
  std::size_t counter_at_ = 0;
};

struct Stats {
  std::uint64_t started = 0;  // messages begun (connect, if needed, then MAIL FROM ...)
  std::uint64_t ok = 0;
  std::uint64_t errors = 0;
  std::map<std::string, std::uint64_t> error_kinds;
  std::vector<double> latency_ms;
};

class Run {
 public:
  Run(asio::io_context& io, const Options& o)
      : io_(io), opt_(o), endpoint_(asio::ip::make_address_v4(o.host), o.port), message_(o.size, o.from, o.rcpts.front()) {}

  asio::awaitable<void> session(unsigned index) {
    std::optional<Connection> conn;
    bool greeted = false;
    while (can_start()) {
      // Each iteration claims one message of the budget before connecting, so refused connections are bounded too.
      const std::uint64_t n = stats_.started++;
      if (!conn || !opt_.reuse) {
        conn.reset();
        conn.emplace(io_, tls_, sockets_);
        greeted = false;
      }
      try {
        if (!greeted) {
          co_await conn->socket().async_connect(endpoint_, asio::use_awaitable);
          // Without it a TLS body's last, short record waits for the ACK of the previous one (Nagle against the
          // peer's delayed ACK, up to 40 ms a message), which measures TCP, not the server.
          conn->socket().set_option(tcp::no_delay(true));
          co_await expect(*conn, 220, "greeting");
          const std::string ehlo = "EHLO load" + std::to_string(index) + ".bench\r\n";
          co_await send(*conn, ehlo);
          co_await expect(*conn, 250, "EHLO");
          if (opt_.starttls) co_await starttls(*conn, ehlo);
          if (!opt_.auth.empty()) {
            const std::string auth = "AUTH PLAIN " + auth_plain(opt_.auth) + "\r\n";
            co_await send(*conn, auth);
            co_await expect(*conn, 235, "AUTH");
          }
          greeted = true;
        }
        const auto t0 = Clock::now();
        // Named strings, never temporaries, as coroutine arguments (g++ 12 miscompiles those: docs/adr/0001).
        const std::string mail = "MAIL FROM:<" + opt_.from + "> SIZE=" + std::to_string(opt_.size) + "\r\n";
        co_await send(*conn, mail);
        co_await expect(*conn, 250, "MAIL");
        const std::string rcpt = "RCPT TO:<" + opt_.rcpts[n % opt_.rcpts.size()] + ">\r\n";
        co_await send(*conn, rcpt);
        co_await expect(*conn, 250, "RCPT");
        const std::string data = "DATA\r\n";
        co_await send(*conn, data);
        co_await expect(*conn, 354, "DATA");
        std::string body = message_.make(n);
        body += ".\r\n";
        co_await send(*conn, body);
        co_await expect(*conn, 250, "end of data");
        const auto t1 = Clock::now();
        ++stats_.ok;
        stats_.latency_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        if (!opt_.reuse) {
          const std::string quit = "QUIT\r\n";
          co_await send(*conn, quit);
          co_await expect(*conn, 221, "QUIT");
        }
      } catch (const ReplyError& e) {
        note_error(e.what);
        conn.reset();  // a fresh connection for the next message, whatever state this one is in
      } catch (const boost::system::system_error& e) {
        note_error(hard_stop_ ? std::string("cut at hard deadline") : "socket: " + e.code().message());
        conn.reset();
      }
    }
    if (conn && greeted && !hard_stop_) {
      try {
        const std::string quit = "QUIT\r\n";
        co_await send(*conn, quit);
        co_await expect(*conn, 221, "QUIT");
      } catch (const std::exception&) {
        // The measurement is over; a failed QUIT is not counted.
      }
    }
  }

  void start(unsigned sessions) {
    begin_ = Clock::now();
    const auto soft = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt_.seconds));
    const auto hard = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt_.seconds + opt_.grace));
    soft_deadline_ = begin_ + soft;
    hard_timer_.expires_at(begin_ + hard);
    hard_timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      hard_stop_ = true;
      for (auto* s : sockets_) {
        boost::system::error_code ignored;
        s->close(ignored);
      }
    });
    for (unsigned i = 0; i < sessions; ++i) {
      asio::co_spawn(io_, session(i), [this](std::exception_ptr p) {
        if (p) {
          try {
            std::rethrow_exception(p);
          } catch (const std::exception& e) {
            note_error(std::string("session: ") + e.what());
          }
        }
        if (++finished_ == opt_.sessions) {
          end_ = Clock::now();
          hard_timer_.cancel();
        }
      });
    }
  }

  void report() {
    auto& lat = stats_.latency_ms;
    std::sort(lat.begin(), lat.end());
    auto pct = [&](double p) -> double {
      if (lat.empty()) return 0;
      std::size_t i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(lat.size()));
      return lat[std::min(i, lat.size() - 1)];
    };
    const double secs = std::chrono::duration<double>(end_ - begin_).count();
    std::string kinds;
    for (const auto& [k, v] : stats_.error_kinds) {
      if (!kinds.empty()) kinds += ",";
      kinds += "\"" + json_escape(k) + "\":" + std::to_string(v);
    }
    std::printf(
        "{\"label\":\"%s\",\"port\":%u,\"sessions\":%u,\"size\":%zu,\"reuse\":%s,\"requested\":%llu,"
        "\"started\":%llu,\"ok\":%llu,\"errors\":%llu,\"seconds\":%.3f,\"msgs_per_s\":%.1f,\"p50_ms\":%.2f,"
        "\"p99_ms\":%.2f,\"max_ms\":%.2f,\"time_capped\":%s,\"hard_stop\":%s,\"error_kinds\":{%s}}\n",
        json_escape(opt_.label).c_str(), static_cast<unsigned>(opt_.port), opt_.sessions, opt_.size,
        opt_.reuse ? "true" : "false", static_cast<unsigned long long>(opt_.messages),
        static_cast<unsigned long long>(stats_.started), static_cast<unsigned long long>(stats_.ok),
        static_cast<unsigned long long>(stats_.errors), secs, secs > 0 ? static_cast<double>(stats_.ok) / secs : 0.0,
        pct(50), pct(99), lat.empty() ? 0.0 : lat.back(), time_capped_ ? "true" : "false",
        hard_stop_ ? "true" : "false", kinds.c_str());
  }

 private:
  struct ReplyError {
    std::string what;
  };

  // A socket registered in the run's list while it lives, so the hard deadline can close it. Plain until
  // set_tls(), then everything goes through the TLS stream around it.
  class Connection {
   public:
    Connection(asio::io_context& io, asio::ssl::context& tls, std::list<tcp::socket*>& all) : stream_(io, tls), all_(all) {
      it_ = all_.insert(all_.end(), &socket());
    }
    ~Connection() {
      all_.erase(it_);
      boost::system::error_code ignored;
      socket().close(ignored);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    tcp::socket& socket() { return stream_.next_layer(); }
    asio::ssl::stream<tcp::socket>& tls() { return stream_; }
    bool is_tls() const { return is_tls_; }
    void set_tls() { is_tls_ = true; }
    std::string& buffer() { return buffer_; }

   private:
    asio::ssl::stream<tcp::socket> stream_;
    bool is_tls_ = false;
    std::list<tcp::socket*>& all_;
    std::list<tcp::socket*>::iterator it_;
    std::string buffer_;
  };

  bool can_start() {
    if (hard_stop_) return false;
    if (stats_.started >= opt_.messages) return false;
    if (Clock::now() >= soft_deadline_) {
      time_capped_ = true;
      return false;
    }
    return true;
  }

  void note_error(const std::string& what) {
    ++stats_.errors;
    ++stats_.error_kinds[what.substr(0, 60)];
  }

  asio::awaitable<void> starttls(Connection& c, const std::string& ehlo) {
    const std::string command = "STARTTLS\r\n";
    co_await send(c, command);
    co_await expect(c, 220, "STARTTLS");
    co_await c.tls().async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    c.set_tls();
    co_await send(c, ehlo);
    co_await expect(c, 250, "EHLO after STARTTLS");
  }

  // RFC 4616: base64("" NUL user NUL password).
  static std::string auth_plain(const std::string& user_colon_password) {
    const auto colon = user_colon_password.find(':');
    std::string raw = std::string(1, '\0') + user_colon_password.substr(0, colon) + std::string(1, '\0') +
                      user_colon_password.substr(colon + 1);
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < raw.size(); i += 3) {
      std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(raw[i])) << 16;
      if (i + 1 < raw.size()) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(raw[i + 1])) << 8;
      if (i + 2 < raw.size()) v |= static_cast<unsigned char>(raw[i + 2]);
      out += kAlphabet[(v >> 18) & 63];
      out += kAlphabet[(v >> 12) & 63];
      out += i + 1 < raw.size() ? kAlphabet[(v >> 6) & 63] : '=';
      out += i + 2 < raw.size() ? kAlphabet[v & 63] : '=';
    }
    return out;
  }

  static std::string json_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      if (static_cast<unsigned char>(c) < 0x20) continue;
      out += c;
    }
    return out;
  }

  asio::awaitable<void> send(Connection& c, const std::string& data) {
    if (c.is_tls()) co_await asio::async_write(c.tls(), asio::buffer(data), asio::use_awaitable);
    else co_await asio::async_write(c.socket(), asio::buffer(data), asio::use_awaitable);
  }

  // Reads one (possibly multi-line) reply and throws ReplyError unless its code is `code`.
  asio::awaitable<void> expect(Connection& c, int code, const char* stage) {
    std::string& buf = c.buffer();
    for (;;) {
      std::size_t n = 0;
      if (c.is_tls()) {
        n = co_await asio::async_read_until(c.tls(), asio::dynamic_buffer(buf, 64 * 1024), "\r\n", asio::use_awaitable);
      } else {
        n = co_await asio::async_read_until(c.socket(), asio::dynamic_buffer(buf, 64 * 1024), "\r\n", asio::use_awaitable);
      }
      std::string line = buf.substr(0, n - 2);
      buf.erase(0, n);
      if (line.size() < 3) throw ReplyError{std::string(stage) + ": malformed reply"};
      if (line.size() > 3 && line[3] == '-') continue;
      int got = std::atoi(line.substr(0, 3).c_str());
      if (got != code) throw ReplyError{std::string(stage) + ": " + line.substr(0, 3) + " " + line.substr(4, 40)};
      co_return;
    }
  }

  asio::io_context& io_;
  const Options& opt_;
  tcp::endpoint endpoint_;
  MessageTemplate message_;
  asio::ssl::context tls_{asio::ssl::context::tls_client};  // no verification: a loopback benchmark peer
  Stats stats_;
  std::list<tcp::socket*> sockets_;
  asio::steady_timer hard_timer_{io_};
  Clock::time_point begin_{}, end_{}, soft_deadline_{};
  unsigned finished_ = 0;
  bool time_capped_ = false;
  bool hard_stop_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  Options opt = parse_options(argc, argv);
  boost::system::error_code ec;
  auto address = asio::ip::make_address_v4(opt.host, ec);
  if (ec || (address.to_uint() >> 24) != 127) usage("--host must be a numeric 127.0.0.0/8 address");
  if (opt.label.empty()) opt.label = opt.host + ":" + std::to_string(opt.port);
  try {
    asio::io_context io(1);
    Run run(io, opt);
    run.start(opt.sessions);
    io.run();
    run.report();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "smtp_load: %s\n", e.what());
    return 1;
  }
  return 0;
}

// imap_load: the one IMAP client of the Bulwark vs Dovecot benchmark (scripts/bench-imap.sh, docs/benchmarks.md
// "IMAP: Bulwark vs Dovecot"). Blocking sockets and one thread per client: the client does the same cheap work
// for every server (it never parses a FETCH response beyond finding literals and the tagged line), so its cost
// cannot favour one side. Only 127.0.0.0/8 targets are accepted.
//
// Each mode runs against every --target in turn, in the same run, and prints JSON lines (one per measurement)
// followed by a Markdown table with the first target next to the second and their ratio (first/second for rates,
// second/first for times: > 1 means the first target is better).
//
//   append    --dir D [--connections C]   APPEND every message of D/index.tsv (flags, INTERNALDATE) to INBOX, C
//                                        connections, message i on connection i % C (loading, not a benchmark)
//   fetch-all [--opens 2]                 (a) per open: a new connection, LOGIN, SELECT INBOX, then the time of
//                                        UID FETCH 1:* (FLAGS ENVELOPE BODYSTRUCTURE); opens alternate targets;
//                                        with more than 2, the median of opens 2..N too
//   search    --word W [--repeat 3]       (d) time of UID SEARCH BODY W on the selected INBOX
//   mixed     --clients "1 20 100" [--seconds 20]   (b) commands per second, see run_cycle()
//   idle      --connections "1000 10000"  (c) LOGIN, SELECT INBOX, IDLE on N connections; the memory (RSS and PSS
//                                        from /proc/PID/smaps_rollup, summed over the target's PID and all its
//                                        descendants) before and after, per connection
//
// --target NAME:PORT[:PID] (repeatable; PID only for idle) --user U --pass P
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <arpa/inet.h>
#include <unistd.h>
#include <vector>

using Clock = std::chrono::steady_clock;

namespace {

struct Target {
  std::string name;
  std::uint16_t port = 0;
  int pid = 0;
};

struct Options {
  std::string mode;
  std::vector<Target> targets;
  std::string user, pass;
  std::string dir;
  std::string word = "quarterly";
  unsigned connections_load = 4;
  unsigned opens = 2;
  unsigned repeat = 3;
  std::vector<unsigned> counts;  // clients (mixed) or connections (idle)
  double seconds = 20;
  std::string idle_select = "INBOX";
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "imap_load: %s\n", why.c_str());
  std::exit(1);
}

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// One IMAP connection with blocking I/O. Responses are read line by line; a literal {N} at the end of a line is
// skipped (or kept, when asked) and the line goes on after it.
class Conn {
 public:
  explicit Conn(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{300, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      int e = errno;
      ::close(fd_);
      throw std::runtime_error(std::string("connect: ") + std::strerror(e));
    }
    buf_.resize(16 * 1024);
    std::string greeting = line();
    if (greeting.rfind("* OK", 0) != 0) throw std::runtime_error("greeting: " + greeting);
  }
  ~Conn() { ::close(fd_); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  void send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error(std::string("send: ") + std::strerror(errno));
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  // One logical response line (literals skipped unless `keep`), without CRLF.
  std::string line(bool keep = false) {
    std::string out;
    for (;;) {
      std::string part = raw_line();
      out += part;
      std::size_t n = literal_size(part);
      if (n == npos) return out;
      if (keep) {
        out += "\r\n";
        out += take(n);
      } else {
        skip(n);
      }
    }
  }

  struct Response {
    std::string tagged;
    std::vector<std::string> untagged;  // only when collecting
    std::size_t untagged_count = 0;
    bool is_ok = false;
    bool ok() const { return is_ok; }
  };

  // Sends "tag text" (text without CRLF unless it carries its own literal) and reads to the tagged line.
  Response command(const std::string& text, bool collect = false) {
    std::string tag = "A" + std::to_string(++tag_);
    send(tag + " " + text + "\r\n");
    return finish(tag, collect);
  }
  Response finish(const std::string& tag, bool collect) {
    Response r;
    for (;;) {
      std::string l = line();
      if (l.size() > tag.size() && l.compare(0, tag.size(), tag) == 0 && l[tag.size()] == ' ') {
        r.is_ok = l.compare(tag.size() + 1, 2, "OK") == 0;
        r.tagged = std::move(l);
        return r;
      }
      if (l.rfind("* ", 0) == 0) {
        ++r.untagged_count;
        if (collect) r.untagged.push_back(std::move(l));
      }
    }
  }
  std::string next_tag() { return "A" + std::to_string(++tag_); }
  std::uint64_t bytes_read() const { return bytes_read_; }

  void login(const std::string& user, const std::string& pass) {
    auto r = command("LOGIN \"" + user + "\" \"" + pass + "\"");
    if (!r.ok()) throw std::runtime_error("LOGIN: " + r.tagged);
  }

 private:
  static constexpr std::size_t npos = std::string::npos;
  static std::size_t literal_size(const std::string& l) {
    if (l.empty() || l.back() != '}') return npos;
    std::size_t open = l.rfind('{');
    if (open == npos) return npos;
    std::size_t n = 0;
    for (std::size_t i = open + 1; i + 1 < l.size(); ++i) {
      if (l[i] < '0' || l[i] > '9') return npos;
      n = n * 10 + static_cast<std::size_t>(l[i] - '0');
    }
    return n;
  }
  void fill() {
    if (begin_ == end_) begin_ = end_ = 0;
    if (end_ == buf_.size()) {
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
      if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
    }
    ssize_t n = ::recv(fd_, buf_.data() + end_, buf_.size() - end_, 0);
    if (n <= 0) throw std::runtime_error(n == 0 ? "connection closed" : std::string("recv: ") + std::strerror(errno));
    end_ += static_cast<std::size_t>(n);
    bytes_read_ += static_cast<std::uint64_t>(n);
  }
  std::string raw_line() {
    std::size_t scanned = begin_;
    for (;;) {
      auto* start = buf_.data() + scanned;
      auto* nl = static_cast<char*>(std::memchr(start, '\n', end_ - scanned));
      if (nl) {
        std::size_t stop = static_cast<std::size_t>(nl - buf_.data());
        std::string out(buf_.data() + begin_, stop - begin_);
        if (!out.empty() && out.back() == '\r') out.pop_back();
        begin_ = stop + 1;
        return out;
      }
      std::size_t offset = end_ - begin_;
      fill();  // may move the data to the front
      scanned = begin_ + offset;
    }
  }
  void skip(std::size_t n) {
    while (n > 0) {
      if (begin_ == end_) fill();
      std::size_t k = std::min(n, end_ - begin_);
      begin_ += k;
      n -= k;
    }
  }
  std::string take(std::size_t n) {
    std::string out;
    while (out.size() < n) {
      if (begin_ == end_) fill();
      std::size_t k = std::min(n - out.size(), end_ - begin_);
      out.append(buf_.data() + begin_, k);
      begin_ += k;
    }
    return out;
  }

  int fd_ = -1;
  std::vector<char> buf_;
  std::size_t begin_ = 0, end_ = 0;
  std::uint64_t tag_ = 0;
  std::uint64_t bytes_read_ = 0;
};

std::optional<std::uint32_t> number_after(const std::string& text, std::string_view key) {
  auto at = text.find(key);
  if (at == std::string::npos) return std::nullopt;
  return static_cast<std::uint32_t>(std::strtoul(text.c_str() + at + key.size(), nullptr, 10));
}

struct Selected {
  std::uint32_t exists = 0;
  std::uint32_t uidnext = 0;
};

Selected select_inbox(Conn& c, const std::string& mailbox = "INBOX") {
  auto r = c.command("SELECT " + mailbox, true);
  if (!r.ok()) throw std::runtime_error("SELECT: " + r.tagged);
  Selected s;
  for (const auto& l : r.untagged) {
    if (l.size() > 9 && l.compare(l.size() - 7, 7, " EXISTS") == 0) s.exists = number_after(l, "* ").value_or(0);
    if (auto n = number_after(l, "[UIDNEXT ")) s.uidnext = *n;
  }
  return s;
}

std::string json_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

// --- append -------------------------------------------------------------------------------------------------
struct IndexEntry {
  std::string file, flags, date;
};

std::vector<IndexEntry> read_index(const std::string& dir) {
  std::ifstream in(dir + "/index.tsv");
  if (!in) die("cannot read " + dir + "/index.tsv");
  std::vector<IndexEntry> out;
  std::string l;
  while (std::getline(in, l)) {
    auto a = l.find('\t'), b = l.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) die("bad index line: " + l);
    out.push_back({l.substr(0, a), l.substr(a + 1, b - a - 1), l.substr(b + 1)});
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) die("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// APPEND with a non-synchronizing literal (LITERAL+, both servers announce it); returns the APPENDUID's UID.
std::optional<std::uint32_t> append(Conn& c, const std::string& mailbox, const std::string& flags,
                                    const std::string& date, const std::string& message) {
  std::string tag = c.next_tag();
  std::string cmd = tag + " APPEND " + mailbox + " (" + flags + ")";
  if (!date.empty()) cmd += " \"" + date + "\"";
  cmd += " {" + std::to_string(message.size()) + "+}\r\n";
  c.send(cmd);
  c.send(message);
  c.send("\r\n");
  auto r = c.finish(tag, false);
  if (!r.ok()) throw std::runtime_error("APPEND: " + r.tagged);
  auto at = r.tagged.find("[APPENDUID ");
  if (at == std::string::npos) return std::nullopt;
  auto sp = r.tagged.find(' ', at + 11);
  return static_cast<std::uint32_t>(std::strtoul(r.tagged.c_str() + sp + 1, nullptr, 10));
}

void run_append(const Options& o) {
  auto index = read_index(o.dir);
  for (const auto& t : o.targets) {
    auto t0 = Clock::now();
    std::atomic<std::uint64_t> bytes{0};
    std::vector<std::thread> threads;
    std::mutex error_mutex;
    std::string error;
    for (unsigned k = 0; k < o.connections_load; ++k) {
      threads.emplace_back([&, k] {
        try {
          Conn c(t.port);
          c.login(o.user, o.pass);
          for (std::size_t i = k; i < index.size(); i += o.connections_load) {
            std::string message = read_file(o.dir + "/" + index[i].file);
            bytes += message.size();
            append(c, "INBOX", index[i].flags, index[i].date, message);
          }
          c.command("LOGOUT");
        } catch (const std::exception& e) {
          std::lock_guard lock(error_mutex);
          error = e.what();
        }
      });
    }
    for (auto& th : threads) th.join();
    if (!error.empty()) die(t.name + ": " + error);
    std::printf("{\"mode\":\"append\",\"target\":\"%s\",\"messages\":%zu,\"bytes\":%llu,\"seconds\":%.2f}\n",
                t.name.c_str(), index.size(), static_cast<unsigned long long>(bytes.load()), since(t0));
    std::fflush(stdout);
  }
}

// --- fetch-all (a) and search (d) ---------------------------------------------------------------------------
struct Timed {
  double seconds = 0;
  std::size_t responses = 0;
  std::uint64_t bytes = 0;
  std::string detail;
};

Timed fetch_all_once(const Options& o, const Target& t) {
  Conn c(t.port);
  c.login(o.user, o.pass);
  auto s = select_inbox(c);
  auto before = c.bytes_read();
  auto t0 = Clock::now();
  auto r = c.command("UID FETCH 1:* (FLAGS ENVELOPE BODYSTRUCTURE)");
  Timed out;
  out.seconds = since(t0);
  if (!r.ok()) throw std::runtime_error("FETCH: " + r.tagged);
  out.responses = r.untagged_count;
  out.bytes = c.bytes_read() - before;
  out.detail = "exists " + std::to_string(s.exists);
  c.command("LOGOUT");
  return out;
}

void print_table_header(const char* first_col, const Options& o, const char* unit) {
  std::printf("\n| %s |", first_col);
  for (const auto& t : o.targets) std::printf(" %s %s |", t.name.c_str(), unit);
  std::printf(" %s/%s |\n|---|", o.targets[0].name.c_str(), o.targets.size() > 1 ? o.targets[1].name.c_str() : "-");
  for (std::size_t i = 0; i <= o.targets.size(); ++i) std::printf("---:|");
  std::printf("\n");
}

void run_fetch_all(const Options& o) {
  std::vector<std::vector<Timed>> results(o.opens, std::vector<Timed>(o.targets.size()));
  for (unsigned open = 0; open < o.opens; ++open) {
    for (std::size_t i = 0; i < o.targets.size(); ++i) {
      auto r = fetch_all_once(o, o.targets[i]);
      results[open][i] = r;
      std::printf("{\"mode\":\"fetch-all\",\"target\":\"%s\",\"open\":%u,\"seconds\":%.4f,\"responses\":%zu,"
                  "\"bytes\":%llu,\"detail\":\"%s\"}\n",
                  o.targets[i].name.c_str(), open + 1, r.seconds, r.responses,
                  static_cast<unsigned long long>(r.bytes), json_escape(r.detail).c_str());
      std::fflush(stdout);
    }
  }
  print_table_header("UID FETCH 1:* (FLAGS ENVELOPE BODYSTRUCTURE)", o, "s (responses, MiB)");
  for (unsigned open = 0; open < o.opens; ++open) {
    std::printf("| open %u |", open + 1);
    for (const auto& r : results[open]) std::printf(" %.3f (%zu, %.1f) |", r.seconds, r.responses, static_cast<double>(r.bytes) / 1048576.0);
    if (o.targets.size() > 1) std::printf(" %.2f |", results[open][1].seconds / results[open][0].seconds);
    std::printf("\n");
  }
  if (o.opens > 2) {  // the later opens are the same work: their median, less exposed to a busy machine
    std::vector<double> median;
    std::printf("| median of opens 2-%u |", o.opens);
    for (std::size_t i = 0; i < o.targets.size(); ++i) {
      std::vector<double> v;
      for (unsigned open = 1; open < o.opens; ++open) v.push_back(results[open][i].seconds);
      std::sort(v.begin(), v.end());
      median.push_back(v[v.size() / 2]);
      std::printf(" %.3f |", median.back());
    }
    if (median.size() > 1) std::printf(" %.2f |", median[1] / median[0]);
    std::printf("\n");
  }
}

void run_search(const Options& o) {
  std::vector<std::vector<Timed>> results(o.repeat, std::vector<Timed>(o.targets.size()));
  std::vector<std::unique_ptr<Conn>> conns;
  for (const auto& t : o.targets) {
    conns.push_back(std::make_unique<Conn>(t.port));
    conns.back()->login(o.user, o.pass);
    select_inbox(*conns.back());
  }
  for (unsigned k = 0; k < o.repeat; ++k) {
    for (std::size_t i = 0; i < o.targets.size(); ++i) {
      auto t0 = Clock::now();
      auto r = conns[i]->command("UID SEARCH BODY " + o.word, true);
      Timed out;
      out.seconds = since(t0);
      if (!r.ok()) die(o.targets[i].name + " SEARCH: " + r.tagged);
      std::size_t hits = 0;
      for (const auto& l : r.untagged) {
        if (l.rfind("* SEARCH", 0) == 0) hits = static_cast<std::size_t>(std::count(l.begin(), l.end(), ' ') - 1);
      }
      out.responses = hits;
      results[k][i] = out;
      std::printf("{\"mode\":\"search\",\"target\":\"%s\",\"run\":%u,\"word\":\"%s\",\"seconds\":%.4f,\"hits\":%zu}\n",
                  o.targets[i].name.c_str(), k + 1, json_escape(o.word).c_str(), out.seconds, hits);
      std::fflush(stdout);
    }
  }
  print_table_header(("UID SEARCH BODY " + o.word).c_str(), o, "s (hits)");
  for (unsigned k = 0; k < o.repeat; ++k) {
    std::printf("| run %u |", k + 1);
    for (const auto& r : results[k]) std::printf(" %.3f (%zu) |", r.seconds, r.responses);
    if (o.targets.size() > 1) std::printf(" %.2f |", results[k][1].seconds / results[k][0].seconds);
    std::printf("\n");
  }
}

// --- mixed (b) ----------------------------------------------------------------------------------------------
// One cycle of a client that keeps its mail in sync, 14 commands: SELECT INBOX; 4 x UID FETCH of 50 headers
// (FLAGS, RFC822.SIZE and the header fields a message list shows) from a random place; 4 x UID FETCH BODY.PEEK[]
// of one random message; 2 x UID STORE +FLAGS/-FLAGS (\Flagged) on a random message; APPEND of one new 6 KiB
// message; UID STORE +FLAGS.SILENT (\Deleted) on it and UID EXPUNGE of it (so the mailbox keeps its size).
// Random UIDs are drawn from 1..min(UIDNEXT-1, 10000), the loaded messages.
struct MixedStats {
  std::uint64_t ops = 0;
  std::vector<double> latencies_ms;
  std::string error;
};

std::string new_message(std::mt19937_64& rng, unsigned client, std::uint64_t n) {
  std::string body;
  static const char* words[] = {"meeting", "project", "budget", "review", "release", "customer", "deadline", "the",
                                "and", "schedule", "report", "invoice", "we", "will", "send", "today"};
  std::string line;
  while (body.size() < 6000) {
    line += words[rng() % 16];
    line += ' ';
    if (line.size() > 70) {
      body += line + "\r\n";
      line.clear();
    }
  }
  return "From: Load Client <load@example.net>\r\nTo: Bench User <bench@example.org>\r\nSubject: load " +
         std::to_string(client) + "." + std::to_string(n) + "\r\nDate: Mon, 1 Jul 2024 10:00:00 +0000\r\n"
         "Message-ID: <load." + std::to_string(client) + "." + std::to_string(n) + "@example.net>\r\n"
         "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + body;
}

void mixed_client(const Options& o, const Target& t, unsigned client, Clock::time_point start,
                  Clock::time_point stop, MixedStats& stats) {
  try {
    std::mt19937_64 rng(1000 + client);
    Conn c(t.port);
    c.login(o.user, o.pass);
    std::uint64_t n = 0;
    while (Clock::now() < start) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    auto timed = [&](auto&& fn) {
      auto t0 = Clock::now();
      fn();
      if (t0 >= start && Clock::now() <= stop) {
        ++stats.ops;
        stats.latencies_ms.push_back(since(t0) * 1000);
      }
    };
    while (Clock::now() < stop) {
      Selected s;
      timed([&] { s = select_inbox(c); });
      std::uint32_t top = std::max<std::uint32_t>(1, std::min<std::uint32_t>(s.uidnext ? s.uidnext - 1 : s.exists, 10000));
      auto pick = [&] { return static_cast<std::uint32_t>(1 + rng() % top); };
      for (int i = 0; i < 4 && Clock::now() < stop; ++i) {
        auto a = pick();
        timed([&] {
          auto r = c.command("UID FETCH " + std::to_string(a) + ":" + std::to_string(a + 49) +
                             " (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID "
                             "REFERENCES IN-REPLY-TO CONTENT-TYPE)])");
          if (!r.ok()) throw std::runtime_error("FETCH headers: " + r.tagged);
        });
      }
      for (int i = 0; i < 4 && Clock::now() < stop; ++i) {
        auto a = pick();
        timed([&] {
          auto r = c.command("UID FETCH " + std::to_string(a) + " (UID BODY.PEEK[])");
          if (!r.ok()) throw std::runtime_error("FETCH body: " + r.tagged);
        });
      }
      for (const char* op : {"+FLAGS", "-FLAGS"}) {
        auto a = pick();
        timed([&] {
          auto r = c.command("UID STORE " + std::to_string(a) + " " + op + " (\\Flagged)");
          if (!r.ok()) throw std::runtime_error("STORE: " + r.tagged);
        });
      }
      std::string message = new_message(rng, client, ++n);
      std::optional<std::uint32_t> uid;
      timed([&] { uid = append(c, "INBOX", "\\Seen", "", message); });
      if (!uid) throw std::runtime_error("APPEND gave no APPENDUID");
      timed([&] {
        auto r = c.command("UID STORE " + std::to_string(*uid) + " +FLAGS.SILENT (\\Deleted)");
        if (!r.ok()) throw std::runtime_error("STORE deleted: " + r.tagged);
      });
      timed([&] {
        auto r = c.command("UID EXPUNGE " + std::to_string(*uid));
        if (!r.ok()) throw std::runtime_error("UID EXPUNGE: " + r.tagged);
      });
    }
    c.command("LOGOUT");
  } catch (const std::exception& e) {
    stats.error = e.what();
  }
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::size_t k = std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

void run_mixed(const Options& o) {
  struct Row {
    double rate = 0, p50 = 0, p99 = 0;
    unsigned errors = 0;
  };
  std::map<unsigned, std::vector<Row>> rows;
  for (unsigned clients : o.counts) {
    for (const auto& t : o.targets) {
      std::vector<MixedStats> stats(clients);
      std::vector<std::thread> threads;
      // Logins happen before `start`; only commands between start and stop count.
      auto start = Clock::now() + std::chrono::milliseconds(500 + 20 * clients);
      auto stop = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
      for (unsigned k = 0; k < clients; ++k) {
        threads.emplace_back(mixed_client, std::cref(o), std::cref(t), k, start, stop, std::ref(stats[k]));
      }
      for (auto& th : threads) th.join();
      Row row;
      std::vector<double> all;
      std::uint64_t ops = 0;
      std::string first_error;
      for (auto& s : stats) {
        ops += s.ops;
        all.insert(all.end(), s.latencies_ms.begin(), s.latencies_ms.end());
        if (!s.error.empty()) {
          ++row.errors;
          if (first_error.empty()) first_error = s.error;
        }
      }
      row.rate = static_cast<double>(ops) / o.seconds;
      row.p50 = percentile(all, 0.5);
      row.p99 = percentile(all, 0.99);
      rows[clients].push_back(row);
      std::printf("{\"mode\":\"mixed\",\"target\":\"%s\",\"clients\":%u,\"seconds\":%.1f,\"ops\":%llu,"
                  "\"ops_per_s\":%.1f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"failed_clients\":%u,\"first_error\":\"%s\"}\n",
                  t.name.c_str(), clients, o.seconds, static_cast<unsigned long long>(ops), row.rate, row.p50, row.p99,
                  row.errors, json_escape(first_error).c_str());
      std::fflush(stdout);
    }
  }
  print_table_header("clients", o, "commands/s (p50 / p99 ms)");
  for (auto& [clients, r] : rows) {
    std::printf("| %u |", clients);
    for (const auto& x : r) {
      std::printf(" %.0f (%.1f / %.1f)%s |", x.rate, x.p50, x.p99, x.errors ? " ERRORS" : "");
    }
    if (r.size() > 1) std::printf(" %.2f |", r[0].rate / r[1].rate);
    std::printf("\n");
  }
}

// --- idle (c) -----------------------------------------------------------------------------------------------
struct Memory {
  std::uint64_t rss_kb = 0, pss_kb = 0;
  unsigned processes = 0;
};

// RSS and PSS of `root` and all its descendants (Dovecot: master, login, auth, imap... processes).
Memory tree_memory(int root) {
  std::map<int, std::vector<int>> children;
  DIR* proc = ::opendir("/proc");
  if (!proc) die("cannot open /proc");
  while (dirent* e = ::readdir(proc)) {
    int pid = std::atoi(e->d_name);
    if (pid <= 0) continue;
    std::ifstream stat("/proc/" + std::string(e->d_name) + "/stat");
    std::string text;
    if (!std::getline(stat, text)) continue;
    auto close = text.rfind(')');
    if (close == std::string::npos) continue;
    int ppid = 0;
    char state = 0;
    if (std::sscanf(text.c_str() + close + 1, " %c %d", &state, &ppid) != 2) continue;
    children[ppid].push_back(pid);
  }
  ::closedir(proc);
  Memory m;
  std::vector<int> todo{root};
  while (!todo.empty()) {
    int pid = todo.back();
    todo.pop_back();
    for (int child : children[pid]) todo.push_back(child);
    std::ifstream rollup("/proc/" + std::to_string(pid) + "/smaps_rollup");
    std::string key;
    std::uint64_t value = 0;
    std::string line;
    bool seen = false;
    while (std::getline(rollup, line)) {
      std::istringstream in(line);
      if (!(in >> key >> value)) continue;
      if (key == "Rss:") m.rss_kb += value, seen = true;
      if (key == "Pss:") m.pss_kb += value;
    }
    m.processes += seen;
  }
  return m;
}

void run_idle(const Options& o) {
  struct Row {
    Memory before, after;
    unsigned open = 0;
    double open_seconds = 0;
  };
  std::map<unsigned, std::vector<Row>> rows;
  for (unsigned n : o.counts) {
    for (const auto& t : o.targets) {
      if (t.pid <= 0) die("idle needs NAME:PORT:PID targets");
      Row row;
      std::this_thread::sleep_for(std::chrono::seconds(2));
      row.before = tree_memory(t.pid);
      std::vector<std::unique_ptr<Conn>> conns(n);
      std::atomic<unsigned> opened{0};
      std::mutex error_mutex;
      std::string error;
      const unsigned workers = std::min(16u, n);
      std::vector<std::thread> threads;
      auto t0 = Clock::now();
      for (unsigned w = 0; w < workers; ++w) {
        threads.emplace_back([&, w] {
          for (unsigned i = w; i < n; i += workers) {
            try {
              auto c = std::make_unique<Conn>(t.port);
              c->login(o.user, o.pass);
              if (!o.idle_select.empty()) select_inbox(*c, o.idle_select);
              c->send(c->next_tag() + " IDLE\r\n");
              std::string l;
              do l = c->line(); while (l.rfind("+", 0) != 0 && l.rfind("* ", 0) == 0);
              if (l.rfind("+", 0) != 0) throw std::runtime_error("IDLE: " + l);
              conns[i] = std::move(c);
              ++opened;
            } catch (const std::exception& e) {
              std::lock_guard lock(error_mutex);
              if (error.empty()) error = e.what();
            }
          }
        });
      }
      for (auto& th : threads) th.join();
      row.open_seconds = since(t0);
      row.open = opened;
      std::this_thread::sleep_for(std::chrono::seconds(3));  // let both servers settle (IDLE polls, timers)
      row.after = tree_memory(t.pid);
      rows[n].push_back(row);
      const double per_pss = row.open ? (double(row.after.pss_kb) - double(row.before.pss_kb)) / row.open : 0;
      const double per_rss = row.open ? (double(row.after.rss_kb) - double(row.before.rss_kb)) / row.open : 0;
      std::printf("{\"mode\":\"idle\",\"target\":\"%s\",\"connections\":%u,\"open\":%u,\"open_seconds\":%.1f,"
                  "\"before_pss_kb\":%llu,\"after_pss_kb\":%llu,\"before_rss_kb\":%llu,\"after_rss_kb\":%llu,"
                  "\"processes_before\":%u,\"processes_after\":%u,\"pss_kb_per_conn\":%.1f,\"rss_kb_per_conn\":%.1f,"
                  "\"error\":\"%s\"}\n",
                  t.name.c_str(), n, row.open, row.open_seconds, static_cast<unsigned long long>(row.before.pss_kb),
                  static_cast<unsigned long long>(row.after.pss_kb), static_cast<unsigned long long>(row.before.rss_kb),
                  static_cast<unsigned long long>(row.after.rss_kb), row.before.processes, row.after.processes,
                  per_pss, per_rss, json_escape(error).c_str());
      std::fflush(stdout);
      for (auto& c : conns) {
        if (!c) continue;
        try {
          c->send("DONE\r\n");
        } catch (const std::exception&) {
        }
      }
      conns.clear();  // closes every socket
    }
  }
  print_table_header("idle connections", o, "KiB PSS (RSS) per connection");
  for (auto& [n, r] : rows) {
    std::printf("| %u |", n);
    std::vector<double> pss;
    for (const auto& x : r) {
      double p = x.open ? (double(x.after.pss_kb) - double(x.before.pss_kb)) / x.open : 0;
      double s = x.open ? (double(x.after.rss_kb) - double(x.before.rss_kb)) / x.open : 0;
      pss.push_back(p);
      std::printf(" %.1f (%.1f)%s |", p, s, x.open < n ? " SHORT" : "");
    }
    if (pss.size() > 1) std::printf(" %.3f |", pss[0] / pss[1]);
    std::printf("\n");
  }
}

std::vector<unsigned> parse_counts(const std::string& text) {
  std::vector<unsigned> out;
  std::istringstream in(text);
  unsigned v;
  while (in >> v) out.push_back(v);
  if (out.empty()) die("empty count list");
  return out;
}

Options parse_options(int argc, char** argv) {
  Options o;
  if (argc < 2) die("usage: imap_load append|fetch-all|search|mixed|idle --target NAME:PORT[:PID] ... (see the source)");
  o.mode = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--target") {
      std::string v = value();
      Target t;
      auto c1 = v.find(':');
      if (c1 == std::string::npos) die("--target NAME:PORT[:PID]");
      t.name = v.substr(0, c1);
      auto c2 = v.find(':', c1 + 1);
      t.port = static_cast<std::uint16_t>(std::atoi(v.substr(c1 + 1, c2 - c1 - 1).c_str()));
      if (c2 != std::string::npos) t.pid = std::atoi(v.substr(c2 + 1).c_str());
      o.targets.push_back(t);
    } else if (a == "--user") o.user = value();
    else if (a == "--pass") o.pass = value();
    else if (a == "--dir") o.dir = value();
    else if (a == "--word") o.word = value();
    else if (a == "--connections" && o.mode == "append") o.connections_load = static_cast<unsigned>(std::atoi(value().c_str()));
    else if (a == "--connections" || a == "--clients") o.counts = parse_counts(value());
    else if (a == "--opens") o.opens = static_cast<unsigned>(std::atoi(value().c_str()));
    else if (a == "--repeat") o.repeat = static_cast<unsigned>(std::atoi(value().c_str()));
    else if (a == "--seconds") o.seconds = std::atof(value().c_str());
    else if (a == "--idle-select") o.idle_select = value();
    else die("unknown option " + a);
  }
  if (o.targets.empty()) die("no --target");
  if (o.connections_load == 0 || o.opens == 0 || o.repeat == 0 || o.seconds <= 0) die("bad count");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_options(argc, argv);
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
  try {
    if (o.mode == "append") run_append(o);
    else if (o.mode == "fetch-all") run_fetch_all(o);
    else if (o.mode == "search") run_search(o);
    else if (o.mode == "mixed") run_mixed(o);
    else if (o.mode == "idle") run_idle(o);
    else die("unknown mode " + o.mode);
  } catch (const std::exception& e) {
    die(e.what());
  }
  std::fflush(stdout);
  return 0;
}

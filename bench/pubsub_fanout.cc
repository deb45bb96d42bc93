// Pub/Sub fan-out: one publisher, N subscribers of one channel, fixed-size messages that carry
// their send time. The publisher keeps `window` PUBLISHes in flight; the run ends when every
// subscriber got every message. Prints "<delivered/s> <p50 us> <p99 us>": messages delivered
// (publishes x subscribers) per second, and the delivery latency, publish to read.
//
//   pubsub_fanout PORT SUBSCRIBERS MESSAGES [SIZE=100] [WINDOW=16]
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    perror("connect");
    exit(1);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

void SendAll(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = send(fd, s.data() + off, s.size() - off, 0);
    if (n <= 0) {
      perror("send");
      exit(1);
    }
    off += static_cast<size_t>(n);
  }
}

// Reads until `need` bytes are buffered.
void ReadExactly(int fd, std::string* buf, size_t need) {
  char tmp[4096];
  while (buf->size() < need) {
    ssize_t n = recv(fd, tmp, sizeof(tmp), 0);
    if (n <= 0) {
      perror("recv");
      exit(1);
    }
    buf->append(tmp, static_cast<size_t>(n));
  }
}

struct Subscriber {
  int fd;
  std::string buf;
  size_t got = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s PORT SUBSCRIBERS MESSAGES [SIZE] [WINDOW]\n", argv[0]);
    return 2;
  }
  int port = atoi(argv[1]);
  size_t nsubs = strtoul(argv[2], nullptr, 10), messages = strtoul(argv[3], nullptr, 10);
  size_t size = argc > 4 ? strtoul(argv[4], nullptr, 10) : 100;
  size_t window = argc > 5 ? strtoul(argv[5], nullptr, 10) : 16;
  const std::string channel = "fanout";
  const std::string confirm = "*3\r\n$9\r\nsubscribe\r\n$6\r\nfanout\r\n:1\r\n";
  std::vector<Subscriber> subs(nsubs);
  for (Subscriber& s : subs) {
    s.fd = Connect(port);
    SendAll(s.fd, "*2\r\n$9\r\nSUBSCRIBE\r\n$6\r\nfanout\r\n");
    ReadExactly(s.fd, &s.buf, confirm.size());
    s.buf.erase(0, confirm.size());
  }
  int pub = Connect(port);
  // Each message: its send time (20 digits) padded to `size` bytes.
  std::string msg_prefix = "*3\r\n$7\r\nmessage\r\n$6\r\nfanout\r\n$" + std::to_string(size) + "\r\n";
  size_t msg_bytes = msg_prefix.size() + size + 2;
  std::vector<int64_t> latencies;
  latencies.reserve(nsubs * messages);
  size_t sent = 0, acked = 0, delivered = 0;
  std::string pub_buf;
  int64_t start = NowNs();
  std::vector<pollfd> fds(nsubs + 1);
  for (size_t i = 0; i < nsubs; ++i) fds[i] = {subs[i].fd, POLLIN, 0};
  fds[nsubs] = {pub, POLLIN, 0};
  char tmp[1 << 16];
  while (delivered < nsubs * messages) {
    std::string out;
    while (sent < messages && sent - acked < window) {
      char ts[32];
      snprintf(ts, sizeof(ts), "%020lld", static_cast<long long>(NowNs()));
      std::string payload(ts);
      payload.resize(size, 'x');
      out += "*3\r\n$7\r\nPUBLISH\r\n$6\r\nfanout\r\n$" + std::to_string(size) + "\r\n" + payload +
             "\r\n";
      sent++;
    }
    if (!out.empty()) SendAll(pub, out);
    if (poll(fds.data(), fds.size(), 5000) <= 0) {
      fprintf(stderr, "stalled: %zu sent, %zu delivered\n", sent, delivered);
      return 1;
    }
    if (fds[nsubs].revents & POLLIN) {
      ssize_t n = recv(pub, tmp, sizeof(tmp), 0);
      if (n <= 0) return 1;
      pub_buf.append(tmp, static_cast<size_t>(n));
      size_t pos;
      while ((pos = pub_buf.find("\r\n")) != std::string::npos) {
        acked++;
        pub_buf.erase(0, pos + 2);
      }
    }
    for (size_t i = 0; i < nsubs; ++i) {
      if (!(fds[i].revents & POLLIN)) continue;
      Subscriber& s = subs[i];
      ssize_t n = recv(s.fd, tmp, sizeof(tmp), 0);
      if (n <= 0) return 1;
      s.buf.append(tmp, static_cast<size_t>(n));
      int64_t now = NowNs();
      size_t off = 0;
      while (s.buf.size() - off >= msg_bytes) {
        long long ts = atoll(s.buf.c_str() + off + msg_prefix.size());
        latencies.push_back(now - ts);
        off += msg_bytes;
        s.got++;
        delivered++;
      }
      s.buf.erase(0, off);
    }
  }
  double secs = static_cast<double>(NowNs() - start) / 1e9;
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    return latencies[static_cast<size_t>(p * static_cast<double>(latencies.size() - 1))] / 1000;
  };
  printf("%.0f %lld %lld\n", static_cast<double>(delivered) / secs,
         static_cast<long long>(pct(0.5)), static_cast<long long>(pct(0.99)));
  return 0;
}

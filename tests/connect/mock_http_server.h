// A tiny HTTP/1.1 server for tests: a socket bound to 127.0.0.1 on a port the OS chooses, a few
// worker threads each answering one connection at a time, one request per connection
// (Connection: close), answered by the test's handler (called under a lock, one at a time). The
// answer may come after a delay or not at all (the connection reset). Every request's method,
// target, Authorization header and body are kept for the test to check, and the most requests
// seen in flight at once (read and not yet answered).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace causeway::testing {

struct MockRequest {
  std::string method;         // "GET"
  std::string target;         // "/records?cursor=c2"
  std::string authorization;  // the Authorization header's value ("" when absent)
  std::string body;           // as many bytes as Content-Length said
};

struct MockResponse {
  int status = 200;
  std::string body;
  std::vector<std::string> headers;  // extra lines, "Retry-After: 1"
  double delay_seconds = 0;          // wait before answering (outside the handler's lock)
  bool reset = false;                // close the connection with a reset instead of answering
};

class MockHttpServer {
 public:
  using Handler = std::function<MockResponse(const MockRequest&)>;

  explicit MockHttpServer(Handler handler, int workers = 8) : handler_(std::move(handler)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;  // the OS chooses
    socklen_t len = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 128) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
        ::fcntl(fd_, F_SETFL, O_NONBLOCK) != 0)  // the workers share it: accept must not block
      throw std::runtime_error("mock server: cannot listen on 127.0.0.1");
    port_ = ntohs(addr.sin_port);
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { serve(); });
  }

  ~MockHttpServer() {
    stop_ = true;
    for (auto& t : threads_) t.join();
    ::close(fd_);
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  std::vector<MockRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

  int most_in_flight() const { return most_in_flight_; }

  // Runs `f` under the lock the handler runs under (to read what the handler recorded).
  template <class F>
  auto locked(F f) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return f();
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) continue;
      answer(client);
      ::close(client);
    }
  }

  static std::string reason(int status) {
    switch (status) {
      case 200:
        return "OK";
      case 400:
        return "Bad Request";
      case 401:
        return "Unauthorized";
      case 429:
        return "Too Many Requests";
      case 500:
        return "Internal Server Error";
      default:
        return "Status";
    }
  }

  // A request is in flight from when it has been read to just before its answer (or reset)
  // leaves, so a client's next request cannot overlap a finished one in the count.
  void begin_in_flight() {
    const int now = ++in_flight_;
    int most = most_in_flight_;
    while (now > most && !most_in_flight_.compare_exchange_weak(most, now)) {
    }
  }

  void answer(int client) {
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
      pollfd p{client, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) return;
      const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
      if (n <= 0) return;
      request.append(buffer, static_cast<std::size_t>(n));
    }
    MockRequest r;
    const std::size_t first = request.find(' '), second = request.find(' ', first + 1);
    r.method = request.substr(0, first);
    r.target = request.substr(first + 1, second - first - 1);
    std::string lower = request;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::size_t auth = lower.find("\r\nauthorization: ");
    if (auth != std::string::npos) {
      const std::size_t begin = auth + 17;
      r.authorization = request.substr(begin, request.find("\r\n", begin) - begin);
    }
    const std::size_t length = lower.find("\r\ncontent-length: ");
    const std::size_t head = request.find("\r\n\r\n") + 4;
    const std::size_t want =
        length == std::string::npos ? 0 : std::stoul(request.substr(length + 18));
    while (request.size() < head + want) {
      pollfd p{client, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) return;
      const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
      if (n <= 0) return;
      request.append(buffer, static_cast<std::size_t>(n));
    }
    r.body = request.substr(head, want);
    begin_in_flight();
    MockResponse response;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(r);
      response = handler_(r);
    }
    if (response.delay_seconds > 0)
      std::this_thread::sleep_for(std::chrono::duration<double>(response.delay_seconds));
    --in_flight_;
    if (response.reset) {
      const linger hard{1, 0};  // close() then sends a reset, not a polite end of stream
      ::setsockopt(client, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
      return;
    }
    std::string text = "HTTP/1.1 " + std::to_string(response.status) + " " +
                       reason(response.status) + "\r\nContent-Type: application/json\r\n" +
                       "Content-Length: " + std::to_string(response.body.size()) +
                       "\r\nConnection: close\r\n";
    for (const auto& h : response.headers) text += h + "\r\n";
    text += "\r\n" + response.body;
    for (std::size_t sent = 0; sent < text.size();) {
      const ssize_t n = ::send(client, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  Handler handler_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> in_flight_{0}, most_in_flight_{0};
  mutable std::mutex mutex_;
  std::vector<MockRequest> requests_;
  std::vector<std::thread> threads_;
};

}  // namespace causeway::testing

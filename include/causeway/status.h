// Errors as values.
//
// Every fallible call in libcauseway returns a Result<T>: either the value or a Status whose
// message names what failed (file, column, row, parameter) and what to do about it. Exceptions
// are used inside the library but never cross a public function. The command-line program is the
// one place that turns a Status into an exit code (bad input -> 2, internal failure -> 1).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace causeway {

enum class ErrorCode {
  kBadInput,          // malformed file, wrong value, impossible request
  kMissingColumn,     // a named column is not in the table
  kNotIdentifiable,   // the data cannot answer the question asked (positivity, one arm, ...)
  kNumericalFailure,  // a fit did not converge or a matrix was singular
  kIo,                // a file could not be read or written
  kInternal,          // a bug in causeway
};

// Exit code the command-line program uses for a code: 2 for anything the user can fix.
int exit_code_for(ErrorCode code);

class Status {
 public:
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_;
  std::string message_;
};

// The exception used inside the library; public functions convert it into a Status.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code), message_(message) {}
  ErrorCode code() const { return code_; }
  // The whole message; what() stops at an embedded NUL byte, which data can contain.
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_;
  std::string message_;
};

template <class T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Status status) : state_(std::move(status)) {}

  bool ok() const { return std::holds_alternative<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const Status& status() const { return std::get<Status>(state_); }
  // Inside the library: the value, or the Status thrown again as an Error.
  T or_throw() && {
    if (!ok()) throw Error(status().code(), status().message());
    return std::get<T>(std::move(state_));
  }

 private:
  std::variant<T, Status> state_;
};

// Runs `body`, turning a causeway::Error (or any other exception, as kInternal) into a Status.
template <class F>
auto guarded(F&& body) -> Result<decltype(body())> {
  try {
    return body();
  } catch (const Error& e) {
    return Status(e.code(), e.message());
  } catch (const std::bad_alloc&) {
    return Status(ErrorCode::kIo, "out of memory");
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInternal, std::string("internal error: ") + e.what());
  }
}

}  // namespace causeway

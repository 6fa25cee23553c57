#include "connect/push_files.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <unordered_set>

#include "connect/http_retry.h"
#include "core/atomic_file.h"

namespace causeway {

namespace {

std::size_t add_column(std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  header.push_back(name);
  return header.size() - 1;
}

bool is_regular(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

std::vector<std::string> read_journal(const std::string& path) {
  std::ifstream lines(path, std::ios::binary);
  if (!lines) throw Error(ErrorCode::kIo, fmt::format("{}: cannot read the journal", path));
  std::vector<std::string> ids;
  for (std::string line; std::getline(lines, line);)
    if (!line.empty() && !lines.eof()) ids.push_back(line);  // eof: no line break after it
  return ids;
}

Journal::Journal(const std::string& path) : path_(path) {
  // A last line cut short (read_journal ignores it) must not run into the next id.
  const bool cut_short = is_regular(path) && [&] {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    char last = '\n';
    return in && in.tellg() > 0 && in.seekg(-1, std::ios::end) && in.get(last) && last != '\n';
  }();
  file_ = std::fopen(path.c_str(), "ab");
  if (!file_)
    throw Error(ErrorCode::kIo, fmt::format("{}: cannot open the journal for appending ({})", path,
                                            std::strerror(errno)));
  if (cut_short) append("");
}

Journal::~Journal() {
  if (file_) std::fclose(file_);
}

void Journal::append(const std::string& id) {
  const std::string line = id + "\n";
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0)
    throw Error(ErrorCode::kIo, fmt::format("{}: cannot write the journal ({}); id '{}' was "
                                            "delivered but is not recorded",
                                            path_, std::strerror(errno), id));
}

void Journal::rewrite_in_order(const std::vector<std::string>& row_ids) {
  std::fclose(file_);
  file_ = nullptr;
  if (!is_regular(path_)) return;  // a pipe, a device
  const std::vector<std::string> ids = read_journal(path_);
  const std::unordered_set<std::string> in_file(ids.begin(), ids.end());
  const std::unordered_set<std::string> in_rows(row_ids.begin(), row_ids.end());
  std::string text;
  for (const auto& id : ids)
    if (!in_rows.count(id)) text += id + "\n";
  for (const auto& id : row_ids)
    if (in_file.count(id)) text += id + "\n";
  AtomicFile file(path_);
  file.write(text);
  file.commit();
}

void write_failures(const std::string& path, const TextTable& scores,
                    const std::vector<PushFailure>& failures, const std::string& secret) {
  TextTable out{scores.header, {}};
  const std::size_t status = add_column(out.header, "push_status");
  const std::size_t error = add_column(out.header, "push_error");
  for (const auto& f : failures) {
    std::vector<std::string> row = scores.rows[f.row - 1];
    row.resize(out.header.size());
    row[status] = f.status ? std::to_string(f.status) : "";
    row[error] = f.reason;
    out.rows.push_back(std::move(row));
  }
  AtomicFile file(path);
  file.write(redact(csv_text(out), secret));
  file.commit();
}

}  // namespace causeway

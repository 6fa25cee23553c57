#include "connect/push_files.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "core/atomic_file.h"

namespace causeway {

namespace {

std::size_t add_column(std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  header.push_back(name);
  return header.size() - 1;
}

}  // namespace

std::unordered_set<std::string> read_journal(const std::string& path) {
  std::ifstream lines(path, std::ios::binary);
  if (!lines)
    throw Error(ErrorCode::kIo, fmt::format("{}: cannot read the journal (--resume)", path));
  std::unordered_set<std::string> ids;
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) ids.insert(line);
  return ids;
}

Journal::Journal(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "ab")) {
  if (!file_)
    throw Error(ErrorCode::kIo, fmt::format("{}: cannot open the journal for appending ({})", path,
                                            std::strerror(errno)));
}

Journal::~Journal() {
  std::fclose(file_);
}

void Journal::append(const std::string& id) {
  const std::string line = id + "\n";
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0)
    throw Error(ErrorCode::kIo, fmt::format("{}: cannot write the journal ({}); id '{}' was "
                                            "delivered but is not recorded",
                                            path_, std::strerror(errno), id));
}

void write_failures(const std::string& path, const TextTable& scores,
                    const std::vector<PushFailure>& failures) {
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
  file.write(csv_text(out));
  file.commit();
}

}  // namespace causeway

// Input files and JSON Lines records; JSON array files are split in array_records.cpp.
#include "connect/record_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "causeway/status.h"
#include "connect/chunked_file.h"
#include "connect/json_strings.h"

namespace causeway {

void read_array_records(ChunkedFile& file, std::size_t start, const std::string& path,
                        const RecordSink& sink);

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_record_file(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".json" || ext == ".jsonl" || ext == ".ndjson";
}

// Hands each non-blank line to the sink; a line longer than kMaxRecordBytes is refused and
// skipped up to its end without being held.
void read_lines(ChunkedFile& file, std::size_t start, const std::string& path,
                const RecordSink& sink) {
  std::size_t begin = start, scan = start, line = 1;
  bool skipping = false, more = true;
  while (true) {
    const char* base = file.data();
    const void* found = std::memchr(base + scan, '\n', file.size() - scan);
    if (found == nullptr && more) {
      if (!skipping && file.size() - begin > kMaxRecordBytes) {
        RawRecord r{std::string_view(base + begin, 1000), {path, line}, ""};
        r.problem = fmt::format("the line is longer than {} MiB", kMaxRecordBytes >> 20);
        sink(r);
        skipping = true;
      }
      const std::size_t keep = skipping ? file.size() : begin;  // offsets move down by keep
      scan = file.size() - keep;
      begin = 0;
      more = file.refill(keep);
      continue;
    }
    const std::size_t end =
        found ? static_cast<std::size_t>(static_cast<const char*>(found) - base) : file.size();
    std::size_t stop = end;
    while (stop > begin && is_space(base[stop - 1])) --stop;
    std::size_t first = begin;
    while (first < stop && is_space(base[first])) ++first;
    if (!skipping && first < stop)
      sink(RawRecord{std::string_view(base + first, stop - first), {path, line}, ""});
    skipping = false;
    if (!found) return;
    begin = scan = end + 1;
    ++line;
  }
}

// Whether a file starting with '[' at `first` is JSON Lines whose first record is an array: that
// array closes on its first line and another line follows with more text. Only the bytes
// already read are looked at; an array file's first element rarely closes on line 1.
bool lines_starting_with_array(const char* data, std::size_t first, std::size_t size) {
  int depth = 0;
  JsonStrings strings;
  std::size_t at = first;
  for (; at < size && data[at] != '\n'; ++at) {
    const char c = data[at];
    if (strings.inside(c)) continue;
    if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && --depth == 0) {
      break;
    }
  }
  if (at >= size || data[at] == '\n') return false;  // the first record goes on past line 1
  bool new_line = false;
  for (++at; at < size; ++at) {
    if (data[at] == '\n') new_line = true;
    if (!is_space(data[at])) return new_line;
  }
  return false;
}

}  // namespace

std::vector<std::string> input_files(const std::string& input) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(input, ec);
  if (ec || !fs::exists(st))
    throw Error(ErrorCode::kIo, fmt::format("{}: no such file or folder; give a JSON array "
                                            "file, a JSON Lines file or a folder of them",
                                            input));
  if (!fs::is_directory(st)) return {input};
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(input, ec))
    if (entry.is_regular_file() && is_record_file(entry.path()) &&
        entry.path().filename().string()[0] != '.')
      files.push_back(entry.path().string());
  if (ec)
    throw Error(ErrorCode::kIo,
                fmt::format("{}: cannot list the folder ({})", input, ec.message()));
  if (files.empty())
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: the folder holds no .json, .jsonl or .ndjson file; put the "
                            "exported pages there",
                            input));
  std::sort(files.begin(), files.end());
  return files;
}

void read_records(const std::string& path, const RecordSink& sink) {
  ChunkedFile file(path);
  bool more = file.refill(0);
  // A UTF-8 byte-order mark, then the first character decides the format.
  const std::size_t bom =
      file.size() >= 3 && std::memcmp(file.data(), "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  std::size_t first = bom;
  while (true) {
    while (first < file.size() && is_space(file.data()[first])) ++first;
    if (first < file.size() || !more) break;
    more = file.refill(0);
  }
  if (first == file.size()) return;  // an empty file holds no records
  if (file.data()[first] == '[' && !lines_starting_with_array(file.data(), first, file.size()))
    read_array_records(file, bom, path, sink);
  else
    read_lines(file, bom, path, sink);
}

}  // namespace causeway

// Two passes over the text: the first checks the shape and infers each kept column's type, the
// second stores typed values. Parsing twice costs less than holding every field as text. A large
// body without quotes is read by several threads in the first pass (data/csv_parts.h).
#include "causeway/data/csv.h"

#include <fast_float/fast_float.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <omp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>

#include "core/text.h"
#include "data/column_plan.h"
#include "data/csv_parts.h"
#include "data/csv_tokenizer.h"
#include "data/value_parse.h"

namespace causeway {
namespace {

// Whether `text` is free of control characters (tab aside): a header of a text file is; a binary
// file's first "line" almost never is. (Bytes above 0x7f pass: a Latin-1 header is still text.)
bool text_like(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return (b < 0x20 && b != '\t') || b == 0x7f;
  });
}

std::vector<std::string_view> read_header(CsvTokenizer& tok, const std::string& source) {
  std::vector<std::string_view> header;
  if (!tok.next(header, true))
    throw Error(ErrorCode::kBadInput, fmt::format("{}: the file is empty; expected a header row "
                                                  "naming the columns",
                                                  source));
  for (const std::string_view name : header)
    if (!text_like(name))
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: the first line holds control characters: this does not look "
                              "like a text CSV file; give a CSV file with a header row (a "
                              "spreadsheet must be saved as CSV)",
                              source));
  std::unordered_map<std::string_view, std::size_t> seen;
  for (std::size_t i = 0; i < header.size(); ++i) {
    header[i] = trim(header[i]);
    if (header[i].empty())
      throw Error(
          ErrorCode::kBadInput,
          fmt::format("{}: header field {} is empty; every column needs a name", source, i + 1));
    if (auto [it, fresh] = seen.try_emplace(header[i], i); !fresh)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: column '{}' appears twice in the header (fields {} and {}); "
                              "rename one",
                              source, header[i], it->second + 1, i + 1));
  }
  return header;
}

// `delimiter` is the one fields are split on; `detected` when the header chose it.
void check_width(const std::vector<std::string_view>& fields, std::size_t width,
                 const std::string& source, std::size_t row, std::size_t line, char delimiter,
                 bool detected) {
  if (fields.size() == width) return;
  const std::string shown = delimiter == '\t' ? "tab" : fmt::format("'{}'", delimiter);
  throw Error(
      ErrorCode::kBadInput,
      fmt::format("{}: row {} (line {}) has {} field{} but the header has {}, split on {}{}; "
                  "quote values that contain the delimiter{}",
                  source, row, line, fields.size(), fields.size() == 1 ? "" : "s", width, shown,
                  detected ? " (the header's most frequent delimiter)" : "",
                  detected ? ", or pass --delimiter if the file uses another one" : ""));
}

// A regular file mapped read-only for the time of the parse. The parts a pass has read are
// dropped from the process's memory as it goes (the page cache keeps them for a second pass), so
// the whole file is never resident beside the columns made from it.
class MappedFile {
 public:
  MappedFile(const std::string& path, std::size_t size) : size_(size) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      throw Error(ErrorCode::kIo, fmt::format("{}: cannot open the file; check the path", path));
    data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    ::close(fd);
    if (data_ == MAP_FAILED)
      throw Error(ErrorCode::kIo, fmt::format("{}: reading the file failed", path));
    ::madvise(data_, size_, MADV_SEQUENTIAL);
  }
  ~MappedFile() { ::munmap(data_, size_); }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view text() const { return {static_cast<const char*>(data_), size_}; }
  // Drops the whole pages of [begin, end): the page holding `begin` was read up to it before.
  void release(std::size_t begin, std::size_t end) {
    static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    begin = begin / page * page, end = end / page * page;
    if (end > begin) ::madvise(static_cast<char*>(data_) + begin, end - begin, MADV_DONTNEED);
  }

 private:
  void* data_ = nullptr;
  std::size_t size_;
};

// Reports progress in steps of this many bytes.
constexpr std::size_t kReadStep = std::size_t{1} << 20;
// A body (the text after the header) is read by one thread per this many bytes, up to the
// thread count.
constexpr std::size_t kParallelBytes = std::size_t{1} << 20;

// The first pass in one thread: the shape of every record, each kept column's kind, and the
// values of columns that are all numbers.
void serial_first_pass(CsvTokenizer& tok, const Layout& layout, std::vector<ColumnPlan>& plans,
                       Table& table, std::size_t lines,
                       const std::function<void(std::size_t)>& progress) {
  for (auto& plan : plans) plan.column.values.reserve(lines);
  if (layout.id_field >= 0) table.row_ids.reserve(lines);
  std::vector<std::string_view> fields;
  std::size_t rows = 0;
  while (tok.next(fields)) {
    ++rows;
    check_width(fields, layout.width, layout.source, rows, tok.line(), layout.delimiter,
                layout.detected);
    for (auto& plan : plans) observe(plan, fields[plan.field], layout.source, rows, tok.line());
    if (layout.id_field >= 0)
      table.row_ids.emplace_back(trim(fields[static_cast<std::size_t>(layout.id_field)]));
    progress(tok.offset());
  }
  table.rows = rows;
}

Table parse(std::string_view text, const std::string& source, const CsvOptions& options,
            const DoneWith& done_with = {}) {
  std::size_t reported = 0;
  const std::function<void(std::size_t)> progress = [&](std::size_t offset) {
    if (!done_with || offset - reported < kReadStep) return;
    done_with(reported, offset);
    reported = offset;
  };
  // A text file has no NUL byte; a binary one (an image, a spreadsheet not saved as CSV, a
  // compressed file) has one within its first few kilobytes.
  if (text.substr(0, 4096).find('\0') != std::string_view::npos)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: holds NUL bytes near its start: this does not look like a text "
                            "CSV file; give a CSV file with a header row (a spreadsheet must be "
                            "saved as CSV, UTF-8 rather than UTF-16; a compressed file must be "
                            "decompressed first)",
                            source));
  const char delimiter = options.delimiter ? options.delimiter : detect_delimiter(text);
  CsvTokenizer first(text, delimiter, source);
  const std::vector<std::string_view> header_views = read_header(first, source);
  std::vector<std::string> header(header_views.begin(), header_views.end());
  std::vector<std::string_view> header_sv(header.begin(), header.end());
  std::vector<ColumnPlan> plans = plan_columns(header_sv, options, source);
  const long id_field = find_id_field(header_sv, options, source);
  const Layout layout{source, header.size(), delimiter, options.delimiter == 0, id_field};

  Table table;
  table.source = source;
  if (id_field >= 0) table.id_column = header[static_cast<std::size_t>(id_field)];
  const std::string_view body = text.substr(first.offset());
  const int threads =
      std::min<int>(omp_get_max_threads(), static_cast<int>(body.size() / kParallelBytes));
  if (threads < 2 ||
      !parallel_first_pass(body, first.offset(), layout, plans, table, threads, done_with))
    // Records bound the rows from above: reserving once avoids regrowing every column.
    serial_first_pass(first, layout, plans, table, record_bound(body), progress);
  const std::size_t rows = table.rows;
  std::vector<std::string_view> fields;
  bool second_pass = false;
  for (auto& plan : plans) {
    plan.column.kind = decide_kind(plan);
    plan.column.present_count = plan.present;
    plan.column.missing = rows - plan.present;
    if (plan.all_numeric && plan.present > 0) continue;
    second_pass = true;
    plan.column.values.clear();
    plan.column.values.reserve(rows);
  }
  if (second_pass) {
    CsvTokenizer second(text, delimiter, source);
    second.next(fields);
    reported = 0;
    for (std::size_t row = 1; second.next(fields); ++row) {
      for (auto& plan : plans)
        if (!(plan.all_numeric && plan.present > 0))
          store(plan, fields[plan.field], source, row, second.line());
      progress(second.offset());
    }
  }
  for (auto& plan : plans) {
    finish(plan);
    table.columns.push_back(std::move(plan.column));
  }
  return table;
}

}  // namespace

Result<Table> parse_csv(std::string_view text, const std::string& source,
                        const CsvOptions& options) {
  return guarded([&] { return parse(text, source, options); });
}

namespace {

// The path to read for `given` ("-": standard input) and what it is, after refusing what cannot be
// read as a data file: a missing path, a folder, a device other than standard input (/dev/zero
// never ends: refused before any read). Pipes and standard input are read to their end.
std::string checked_input(const std::string& given, struct stat& st) {
  const std::string path = given == "-" ? "/dev/stdin" : given;
  if (::stat(path.c_str(), &st) != 0)
    throw Error(ErrorCode::kIo, fmt::format("{}: cannot open the file; check the path", path));
  if (S_ISDIR(st.st_mode))
    throw Error(ErrorCode::kIo, fmt::format("{}: is a folder; give the CSV file inside it", path));
  if (S_ISCHR(st.st_mode) && given != "-" && path != "/dev/stdin")
    throw Error(ErrorCode::kIo,
                fmt::format("{}: is a device, not a file; give a CSV file (or - for standard "
                            "input)",
                            path));
  return path;
}

// The whole text of an input that is not a regular file (a pipe, standard input), read to its
// end.
std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(ErrorCode::kIo, fmt::format("{}: cannot open the file; check the path", path));
  std::string text;
  try {
    char chunk[1 << 16];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0)
      text.append(chunk, static_cast<std::size_t>(in.gcount()));
  } catch (const std::bad_alloc&) {  // an input that never ends (< /dev/zero, `yes`)
    throw Error(ErrorCode::kIo,
                fmt::format("{}: the input had not ended when memory ran out ({} MB read); give "
                            "a file, or a stream that ends",
                            path, text.size() >> 20));
  }
  if (in.bad()) throw Error(ErrorCode::kIo, fmt::format("{}: reading the file failed", path));
  return text;
}

// An input that is not a regular file (a pipe, standard input) can be read once: read whole for its
// header (read_csv_header), its text is kept, by path, for the read_csv that follows.
std::mutex kept_mutex;
std::map<std::string, std::string> kept_streams;

// The first line of such an input, whose whole text is kept.
std::string kept_first_line(const std::string& path) {
  const std::lock_guard<std::mutex> lock(kept_mutex);
  auto it = kept_streams.find(path);
  if (it == kept_streams.end()) it = kept_streams.emplace(path, read_all(path)).first;
  return it->second.substr(0, it->second.find('\n'));
}

std::string take_stream(const std::string& path) {
  const std::lock_guard<std::mutex> lock(kept_mutex);
  const auto it = kept_streams.find(path);
  if (it == kept_streams.end()) return read_all(path);
  std::string text = std::move(it->second);
  kept_streams.erase(it);
  return text;
}

}  // namespace

Result<Table> read_csv(const std::string& given, const CsvOptions& options) {
  return guarded([&]() -> Table {
    struct stat st;
    const std::string path = checked_input(given, st);
    if (S_ISREG(st.st_mode) && st.st_size > 0) {  // mapped: no copy, few page faults
      MappedFile file(path, static_cast<std::size_t>(st.st_size));
      return parse(file.text(), path, options,
                   [&file](std::size_t begin, std::size_t end) { file.release(begin, end); });
    }
    // A pipe or standard input, or an empty file: read until its end (or the text
    // read_csv_header read).
    const std::string text = take_stream(path);
    return parse(text, path, options);
  });
}

Result<Table> read_csv_header(const std::string& given, const CsvOptions& options) {
  return guarded([&]() -> Table {
    struct stat st;
    const std::string path = checked_input(given, st);
    std::string header;
    if (S_ISREG(st.st_mode)) {
      std::ifstream in(path, std::ios::binary);
      if (!in)
        throw Error(ErrorCode::kIo, fmt::format("{}: cannot open the file; check the path", path));
      std::getline(in, header);
    } else {
      header = kept_first_line(path);
    }
    return parse(header + "\n", path, options);
  });
}

}  // namespace causeway

// Two passes over the text: the first checks the shape and infers each kept column's type, the
// second stores typed values. Parsing twice costs less than holding every field as text.
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

#include "core/text.h"
#include "data/column_plan.h"
#include "data/csv_tokenizer.h"
#include "data/value_parse.h"

namespace causeway {
namespace {

std::vector<std::string_view> read_header(CsvTokenizer& tok, const std::string& source) {
  std::vector<std::string_view> header;
  if (!tok.next(header))
    throw Error(ErrorCode::kBadInput, fmt::format("{}: the file is empty; expected a header row "
                                                  "naming the columns",
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

// Told, as a pass goes, which part [begin, end) of the text it has read and will not read again.
using DoneWith = std::function<void(std::size_t, std::size_t)>;

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

// The file's shape and reading rules, shared by the passes over its body.
struct Layout {
  const std::string& source;
  std::size_t width;  // fields per record
  char delimiter;
  bool detected;  // the delimiter was chosen from the header
  long id_field;  // -1: none
};

// No more records than this in `text`: a record ends at a line feed, a carriage return or the
// end of the text.
std::size_t record_bound(std::string_view text) {
  const auto lf = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  const auto cr = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\r'));
  return lf + cr + 1;
}

// One thread's share of the first pass: whole lines of the body, read into copies of the plans
// that write into the part's own place in each column.
struct Part {
  std::string_view text;
  std::size_t offset = 0;  // of `text` in the file
  std::size_t slot = 0;    // where its values start in each column
  std::size_t rows = 0;
  std::vector<ColumnPlan> plans;
  std::vector<std::string> row_ids;
  bool failed = false;
};

void read_part(Part& part, const Layout& layout) {
  CsvTokenizer tok(part.text, layout.delimiter, layout.source, /*file_start=*/false);
  std::vector<std::string_view> fields;
  while (tok.next(fields)) {
    ++part.rows;
    check_width(fields, layout.width, layout.source, part.rows, tok.line(), layout.delimiter,
                layout.detected);
    for (auto& plan : part.plans) observe(plan, fields[plan.field], layout.source, part.rows, 0);
    if (layout.id_field >= 0)
      part.row_ids.emplace_back(trim(fields[static_cast<std::size_t>(layout.id_field)]));
  }
}

// Folds what a part learnt about a column into the file's plan, parts taken in file order;
// `rows_before` counts the rows of the parts before it. A boolean spelling is kept as the serial
// pass keeps it: seen while every row before was 0 or 1.
void merge_part(ColumnPlan& plan, const ColumnPlan& part, std::size_t rows_before,
                bool& spelling_open) {
  plan.all_numeric = plan.all_numeric && part.all_numeric;
  plan.all_bool_text = plan.all_bool_text && part.all_bool_text;
  plan.present += part.present;
  plan.column.number_count += part.column.number_count;
  if (plan.column.first_non_number_row == 0 && part.column.first_non_number_row != 0) {
    plan.column.first_non_number = part.column.first_non_number;
    plan.column.first_non_number_row = rows_before + part.column.first_non_number_row;
  }
  if (spelling_open)
    for (int v = 0; v < 2; ++v)
      if (plan.bool_spelling[v].empty()) plan.bool_spelling[v] = part.bool_spelling[v];
  spelling_open = spelling_open && part.all_zero_one;
  plan.all_zero_one = plan.all_zero_one && part.all_zero_one;
}

// The first pass by `threads` threads, each over whole lines of `body` (which starts at
// `offset` in the file). Returns false, having changed nothing, when it cannot stand in for the
// serial pass: a quote in the body (a quoted field may hold a line break, so a part could start
// inside one) or an error in any part (the serial pass then reports it with its row and line).
bool parallel_first_pass(std::string_view body, std::size_t offset, const Layout& layout,
                         std::vector<ColumnPlan>& plans, Table& table, int threads,
                         const DoneWith& done_with) {
  std::vector<Part> parts(static_cast<std::size_t>(threads));
  std::size_t begin = 0;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    std::size_t end = body.size();
    if (k + 1 < parts.size()) {
      end = std::max(begin, body.size() * (k + 1) / parts.size());
      end = std::min(body.find('\n', end), body.size());
      if (end < body.size()) ++end;
    }
    parts[k].text = body.substr(begin, end - begin);
    parts[k].offset = offset + begin;
    begin = end;
  }
  std::vector<std::size_t> bound(parts.size());
  bool quoted = false;
#pragma omp parallel for num_threads(threads) schedule(static, 1) reduction(|| : quoted)
  for (std::size_t k = 0; k < parts.size(); ++k) {
    quoted = quoted || parts[k].text.find('"') != std::string_view::npos;
    bound[k] = record_bound(parts[k].text);
  }
  if (quoted) return false;
  std::size_t total = 0;
  for (std::size_t k = 0; k < parts.size(); ++k) parts[k].slot = total, total += bound[k];
  for (auto& part : parts) part.plans = plans;  // before the values are sized: copies are empty
  for (auto& plan : plans) plan.column.values.resize(total);  // not written: see ColumnValues
  for (auto& part : parts) {
    for (std::size_t j = 0; j < plans.size(); ++j)
      part.plans[j].out = plans[j].column.values.data() + part.slot;
  }
#pragma omp parallel for num_threads(threads) schedule(static, 1)
  for (std::size_t k = 0; k < parts.size(); ++k) {
    try {
      read_part(parts[k], layout);
    } catch (...) {
      parts[k].failed = true;
    }
    if (done_with) done_with(parts[k].offset, parts[k].offset + parts[k].text.size());
  }
  if (std::any_of(parts.begin(), parts.end(), [](const Part& p) { return p.failed; })) {
    for (auto& plan : plans) ColumnValues().swap(plan.column.values);
    return false;
  }
  for (std::size_t j = 0; j < plans.size(); ++j) {
    ColumnPlan& plan = plans[j];
    std::size_t rows = 0;
    bool spelling_open = true;
    for (const Part& part : parts) {
      merge_part(plan, part.plans[j], rows, spelling_open);
      // Parts hold fewer rows than their bound (blank lines, CRLF): close the gaps, in order.
      double* values = plan.column.values.data();
      if (part.slot != rows)
        std::copy(values + part.slot, values + part.slot + part.rows, values + rows);
      rows += part.rows;
    }
    plan.column.values.resize(rows);
  }
  for (Part& part : parts) {
    table.rows += part.rows;
    for (auto& id : part.row_ids) table.row_ids.push_back(std::move(id));
  }
  return true;
}

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

Result<Table> read_csv(const std::string& given, const CsvOptions& options) {
  return guarded([&]() -> Table {
    const std::string path = given == "-" ? "/dev/stdin" : given;  // "-": standard input
    struct stat st;
    if (::stat(path.c_str(), &st) != 0)
      throw Error(ErrorCode::kIo, fmt::format("{}: cannot open the file; check the path", path));
    if (S_ISDIR(st.st_mode))
      throw Error(ErrorCode::kIo,
                  fmt::format("{}: is a folder; give the CSV file inside it", path));
    // A device other than standard input (/dev/zero, /dev/urandom) never ends: refused before
    // any read. Pipes and standard input are read to their end.
    if (S_ISCHR(st.st_mode) && given != "-" && path != "/dev/stdin")
      throw Error(ErrorCode::kIo,
                  fmt::format("{}: is a device, not a file; give a CSV file (or - for standard "
                              "input)",
                              path));
    if (S_ISREG(st.st_mode) && st.st_size > 0) {  // mapped: no copy, few page faults
      MappedFile file(path, static_cast<std::size_t>(st.st_size));
      return parse(file.text(), path, options,
                   [&file](std::size_t begin, std::size_t end) { file.release(begin, end); });
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
      throw Error(ErrorCode::kIo, fmt::format("{}: cannot open the file; check the path", path));
    // A pipe or device (/dev/stdin), or an empty file: read until its end.
    std::string text(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>{});
    if (in.bad()) throw Error(ErrorCode::kIo, fmt::format("{}: reading the file failed", path));
    return parse(text, path, options);
  });
}

}  // namespace causeway

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
#include <optional>

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

void check_width(const std::vector<std::string_view>& fields, std::size_t width,
                 const std::string& source, std::size_t row, std::size_t line) {
  if (fields.size() == width) return;
  throw Error(ErrorCode::kBadInput,
              fmt::format("{}: row {} (line {}) has {} fields but the header has {}; quote values "
                          "that contain the delimiter",
                          source, row, line, fields.size(), width));
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
// Bodies at least this large are read by several threads at once (when they hold no quote).
constexpr std::size_t kParallelBytes = std::size_t{8} << 20;

// What the first pass learns from a run of records: each kept column's plan (values while all
// numeric), the ids, and how many records there were.
struct FirstPass {
  std::vector<ColumnPlan> plans;
  std::vector<std::string> row_ids;
  std::size_t rows = 0;
};

// Observes every record `tok` has left. Rows count from `rows` on, for messages.
void observe_records(CsvTokenizer& tok, FirstPass& pass, std::size_t width, long id_field,
                     const std::string& source, const std::function<void(std::size_t)>& progress) {
  std::vector<std::string_view> fields;
  while (tok.next(fields)) {
    ++pass.rows;
    check_width(fields, width, source, pass.rows, tok.line());
    for (auto& plan : pass.plans) observe(plan, fields[plan.field], source, pass.rows, tok.line());
    if (id_field >= 0) pass.row_ids.emplace_back(trim(fields[static_cast<std::size_t>(id_field)]));
    if (progress) progress(tok.offset());
  }
}

// Appends `later`, the pass over the records after `into`'s, to `into`.
void merge_pass(FirstPass& into, FirstPass&& later) {
  for (std::size_t j = 0; j < into.plans.size(); ++j) {
    ColumnPlan &a = into.plans[j], &b = later.plans[j];
    if (a.column.first_non_number_row == 0 && b.column.first_non_number_row != 0) {
      a.column.first_non_number = std::move(b.column.first_non_number);
      a.column.first_non_number_row = into.rows + b.column.first_non_number_row;
    }
    a.column.number_count += b.column.number_count;
    a.present += b.present;
    // One pass records spellings only while the column is all 0/1 numbers so far.
    if (a.all_numeric && a.all_zero_one)
      for (int v = 0; v < 2; ++v)
        if (a.bool_spelling[v].empty()) a.bool_spelling[v] = std::move(b.bool_spelling[v]);
    a.all_zero_one = a.all_zero_one && b.all_zero_one;
    a.all_bool_text = a.all_bool_text && b.all_bool_text;
    a.all_numeric = a.all_numeric && b.all_numeric;
    if (a.all_numeric)
      a.column.values.insert(a.column.values.end(), b.column.values.begin(), b.column.values.end());
    else
      a.column.values = {};
    b.column.values = {};
  }
  into.row_ids.insert(into.row_ids.end(), std::make_move_iterator(later.row_ids.begin()),
                      std::make_move_iterator(later.row_ids.end()));
  into.rows += later.rows;
}

// The first pass over a large body with no quote in it, in one piece per thread, each piece
// starting after a line break. Gives the same plans as one pass; nullopt when a piece finds a
// fault, so that the serial pass reports it with its row and line.
std::optional<FirstPass> parallel_first_pass(std::string_view body, const FirstPass& start,
                                             std::size_t width, long id_field, char delimiter,
                                             const std::string& source) {
  const int threads = std::min(omp_get_max_threads(), 8);
  if (threads < 2 || body.size() < kParallelBytes || body.find('"') != std::string_view::npos)
    return std::nullopt;
  // A piece starting with a byte-order mark would have it skipped, as only the file's may be.
  if (body.find("\n\xEF\xBB\xBF") != std::string_view::npos) return std::nullopt;
  std::vector<std::size_t> cut{0};
  for (int k = 1; k < threads; ++k) {
    const std::size_t at = body.find(
        '\n', body.size() / static_cast<std::size_t>(threads) * static_cast<std::size_t>(k));
    cut.push_back(at == std::string_view::npos ? body.size() : std::max(at + 1, cut.back()));
  }
  cut.push_back(body.size());
  std::vector<FirstPass> parts(static_cast<std::size_t>(threads), start);
  std::vector<char> failed(parts.size(), 0);
#pragma omp parallel for num_threads(threads) schedule(static, 1)
  for (int k = 0; k < threads; ++k) {
    const auto i = static_cast<std::size_t>(k);
    try {
      CsvTokenizer tok(body.substr(cut[i], cut[i + 1] - cut[i]), delimiter, source);
      observe_records(tok, parts[i], width, id_field, source, {});
    } catch (...) {
      failed[i] = 1;
    }
  }
  if (std::find(failed.begin(), failed.end(), 1) != failed.end()) return std::nullopt;
  for (std::size_t i = 1; i < parts.size(); ++i) merge_pass(parts[0], std::move(parts[i]));
  return std::move(parts[0]);
}

Table parse(std::string_view text, const std::string& source, const CsvOptions& options,
            const DoneWith& done_with = {}) {
  std::size_t reported = 0;
  const auto progress = [&](std::size_t offset) {
    if (!done_with || offset - reported < kReadStep) return;
    done_with(reported, offset);
    reported = offset;
  };
  const char delimiter = options.delimiter ? options.delimiter : detect_delimiter(text);
  CsvTokenizer first(text, delimiter, source);
  const std::vector<std::string_view> header_views = read_header(first, source);
  std::vector<std::string> header(header_views.begin(), header_views.end());
  std::vector<std::string_view> header_sv(header.begin(), header.end());
  FirstPass pass;
  pass.plans = plan_columns(header_sv, options, source);
  const long id_field = find_id_field(header_sv, options, source);

  Table table;
  table.source = source;
  if (id_field >= 0) table.id_column = header[static_cast<std::size_t>(id_field)];
  const std::string_view body = text.substr(first.offset());
  if (auto parallel = parallel_first_pass(body, pass, header.size(), id_field, delimiter, source)) {
    pass = std::move(*parallel);
    progress(text.size());
  } else {
    // Lines bound the rows from above: reserving once avoids regrowing every column.
    const std::size_t lines =
        static_cast<std::size_t>(std::count(body.begin(), body.end(), '\n')) + 1;
    for (auto& plan : pass.plans) plan.column.values.reserve(lines);
    if (id_field >= 0) pass.row_ids.reserve(lines);
    observe_records(first, pass, header.size(), id_field, source, progress);
  }
  std::vector<ColumnPlan>& plans = pass.plans;
  const std::size_t rows = pass.rows;
  table.row_ids = std::move(pass.row_ids);
  std::vector<std::string_view> fields;
  table.rows = rows;
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

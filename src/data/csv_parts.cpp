#include "data/csv_parts.h"

#include <emmintrin.h>

#include <algorithm>
#include <cstdint>

#include "causeway/status.h"
#include "data/csv_tokenizer.h"
#include "data/value_parse.h"

namespace causeway {
namespace {

// The text a part has read is handed back (DoneWith) this many bytes at a time.
constexpr std::ptrdiff_t kReleaseStep = std::ptrdiff_t{1} << 20;

// One thread's share: whole lines of the body, read into copies of the plans that write into the
// part's own place in each column.
struct Part {
  std::string_view text;
  std::size_t offset = 0;  // of `text` in the file
  std::size_t slot = 0;    // where its values start in each column
  std::size_t rows = 0;
  std::vector<ColumnPlan> plans;
  std::vector<std::string> row_ids;
  bool failed = false;
};

// The first delimiter, carriage return or line feed at or after p, or end: sixteen bytes at a
// time while sixteen remain (SSE2, which every x86-64 has), so a field's length, which varies
// from row to row, costs no mispredicted branch per byte.
const char* field_end(const char* p, const char* end, char delimiter) {
  const __m128i d = _mm_set1_epi8(delimiter), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  for (; end - p >= 16; p += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hit =
        _mm_or_si128(_mm_cmpeq_epi8(chunk, d),
                     _mm_or_si128(_mm_cmpeq_epi8(chunk, lf), _mm_cmpeq_epi8(chunk, cr)));
    if (const int mask = _mm_movemask_epi8(hit))
      return p + __builtin_ctz(static_cast<unsigned>(mask));
  }
  while (p < end && *p != delimiter && *p != '\n' && *p != '\r') ++p;
  return p;
}

// Splits records as the tokenizer does for text without quotes: fields end at the delimiter, a
// record at a carriage return, a line feed or both, and lines that are empty or hold only spaces
// and tabs are skipped. A record of the wrong width throws; the one-thread pass then names it.
void read_part(Part& part, const Layout& layout, const DoneWith& done_with) {
  std::vector<int> plan_of(layout.width, -1);
  for (std::size_t j = 0; j < part.plans.size(); ++j)
    plan_of[part.plans[j].field] = static_cast<int>(j);
  const char* p = part.text.data();
  const char* const end = p + part.text.size();
  const char delimiter = layout.delimiter;
  const auto id_field = static_cast<std::size_t>(layout.id_field);
  const char* released = p;  // the text before it is read and handed back, a megabyte at a time
  while (p < end) {
    if (done_with && p - released >= kReleaseStep) {
      done_with(part.offset + static_cast<std::size_t>(released - part.text.data()),
                part.offset + static_cast<std::size_t>(p - part.text.data()));
      released = p;
    }
    if (*p == '\n' || *p == '\r') {
      ++p;
      continue;
    }
    if (const char* blank = blank_end(p, end, delimiter); blank != p) {
      p = blank;
      continue;
    }
    ++part.rows;
    for (std::size_t field = 0;; ++field) {
      const char* const start = p;
      p = field_end(p, end, delimiter);
      if (field >= layout.width) throw Error(ErrorCode::kBadInput, "ragged row");
      const std::string_view token(start, static_cast<std::size_t>(p - start));
      if (const int j = plan_of[field]; j >= 0)
        observe(part.plans[static_cast<std::size_t>(j)], token, layout.source, part.rows, 0);
      if (field == id_field) part.row_ids.emplace_back(trim(token));
      if (p < end && *p == delimiter) {
        ++p;
        continue;
      }
      if (field + 1 != layout.width) throw Error(ErrorCode::kBadInput, "ragged row");
      break;
    }
    if (p < end && *p == '\r') ++p;
    if (p < end && *p == '\n') ++p;
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

}  // namespace

std::size_t record_bound(std::string_view text, bool* quoted) {
  // Sixteen bytes at a time (SSE2, every x86-64 has it): line ends (a line feed, or a carriage
  // return not followed by one, so that CRLF counts once and a part ending in one has no spare
  // slot), and whether a double quote occurs.
  const char* p = text.data();
  const char* const end = p + text.size();
  std::size_t ends = 0;
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), quote = _mm_set1_epi8('"');
  __m128i quotes = _mm_setzero_si128();
  // Each byte lane counts its line ends (a match is -1: subtracting it adds one) for up to 255
  // chunks, then the lanes are summed (no popcount instruction in SSE2: the library's is a call).
  while (end - p > 16) {  // the byte after the chunk is read too
    __m128i lanes = _mm_setzero_si128();
    for (int k = 0; k < 255 && end - p > 16; ++k, p += 16) {
      const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
      const __m128i lone_cr = _mm_andnot_si128(_mm_cmpeq_epi8(next, lf), _mm_cmpeq_epi8(chunk, cr));
      lanes = _mm_sub_epi8(lanes, _mm_or_si128(_mm_cmpeq_epi8(chunk, lf), lone_cr));
      quotes = _mm_or_si128(quotes, _mm_cmpeq_epi8(chunk, quote));
    }
    const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
    ends += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) +
            static_cast<std::size_t>(_mm_extract_epi16(sums, 4));
  }
  bool any_quote = _mm_movemask_epi8(quotes) != 0;
  for (; p < end; ++p) {
    ends += *p == '\n' || (*p == '\r' && (p + 1 == end || p[1] != '\n'));
    any_quote = any_quote || *p == '"';
  }
  if (quoted) *quoted = any_quote;
  // a last line without a line end
  return ends + (!text.empty() && text.back() != '\n' && text.back() != '\r');
}

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
    bool part_quoted = false;
    bound[k] = record_bound(parts[k].text, &part_quoted);
    quoted = quoted || part_quoted;
  }
  if (quoted) return false;
  std::size_t total = 0;
  for (std::size_t k = 0; k < parts.size(); ++k) parts[k].slot = total, total += bound[k];
  for (auto& part : parts) part.plans = plans;  // before the values are sized: copies are empty
  for (auto& plan : plans) plan.column.values.resize(total);  // not written: see ColumnValues
  for (auto& part : parts)
    for (std::size_t j = 0; j < plans.size(); ++j)
      part.plans[j].out = plans[j].column.values.data() + part.slot;
#pragma omp parallel for num_threads(threads) schedule(static, 1)
  for (std::size_t k = 0; k < parts.size(); ++k) {
    try {
      read_part(parts[k], layout, done_with);
    } catch (...) {
      parts[k].failed = true;
    }
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

}  // namespace causeway

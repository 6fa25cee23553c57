// A typed, column-oriented table read from a customer file.
//
// Every column holds one double per row. Missing cells are NaN. A boolean-like column holds 0/1
// and remembers how the file spelled each value; a categorical (text) column holds the index of
// its level, levels sorted so that the first is the reference level of a one-hot encoding.
// A Table owns its data; it is immutable once read and safe to share between threads.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace causeway {

// Leaves a new element uninitialised where std::allocator would zero it: a column sized before it
// is filled (by several threads, each its own part) is written once, not twice.
template <class T>
struct UninitializedAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <class U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

// A vector whose new elements are left uninitialised: for arrays filled right after sizing.
template <class T>
using UninitializedVector = std::vector<T, UninitializedAllocator<T>>;

using ColumnValues = UninitializedVector<double>;

enum class ColumnKind { kNumeric, kBoolean, kCategorical };

const char* column_kind_name(ColumnKind kind);

struct Column {
  std::string name;
  ColumnKind kind = ColumnKind::kNumeric;
  ColumnValues values;              // NaN marks a missing cell
  std::vector<std::string> levels;  // categorical: sorted levels; boolean: {spelling of 0, of 1}
  // A categorical column whose values are mostly numbers probably holds a typo: how many values
  // are numbers, and the first that is not (with its row, counting from 1).
  std::size_t number_count = 0;
  std::string first_non_number;
  std::size_t first_non_number_row = 0;
  std::size_t present_count = 0;  // values that are not missing
  // The missing cells, when the reader counted them as it stored the values (CSV files, data
  // frames, simulations), so that checks need not read the column again; unset otherwise.
  std::optional<std::size_t> missing;
  bool forced_categorical = false;  // read as levels because the user asked (--categorical)

  // `missing` when known, else counted.
  std::size_t missing_count() const;
  // The value of row `row` as the file wrote it (level name, boolean spelling or number).
  std::string label(std::size_t row) const;
};

struct Table {
  std::string source;  // file name (or "<simulated retention>") used in messages
  std::vector<Column> columns;
  std::size_t rows = 0;
  std::string id_column;             // the column whose values name rows in messages, or ""
  std::vector<std::string> row_ids;  // its values, one per row (empty when there is none)

  // nullptr when the table has no column called `name`.
  const Column* find(const std::string& name) const;
  Column* find(const std::string& name);
  // Names a row for a message: "row 17 (id M1013)" or "row 17". Rows count from 1 after the header.
  std::string row_name(std::size_t row) const;
  // The column names, comma-separated, for "available columns: ..." messages.
  std::string column_list() const;
};

// The closest of `names` to `name` by edit distance, or "" when none is close.
std::string closest_name(const std::vector<std::string>& names, const std::string& name);
// The closest column name to `name` by edit distance, or "" when none is close.
std::string closest_column(const Table& table, const std::string& name);
// For a yes/no (true/false) column written in words in some rows and as 0/1 in others, read as
// one column of two values: the warning that says so (such a mix often joins two sources or
// hides a typing slip); "" for any other column.
std::string mixed_spellings(const Column& col);

}  // namespace causeway

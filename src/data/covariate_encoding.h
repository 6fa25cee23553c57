// Encoding the user's common causes into the covariate matrix of an AnalysisData.
#pragma once

#include <string>
#include <vector>

#include "causeway/data/analysis_data.h"
#include "core/parallel.h"

namespace causeway {

// Largest magnitude a used number may have: standard errors multiply four such numbers (HC1:
// residual^2 x^2), which must stay below a double's 1e308 even summed over many rows.
constexpr double kLargestValue = 1e50;
// A column whose largest magnitude is below this underflows the same products: rescale it.
constexpr double kSmallestScale = 1e-50;

// The analysed rows' places in the table: a list, or, when no row is dropped, every row in order
// (no list: at a million rows it would take 4 MB).
class RowMap {
 public:
  explicit RowMap(std::size_t all_rows) : size_(all_rows) {}
  explicit RowMap(const std::vector<std::uint32_t>& list) : list_(&list), size_(list.size()) {}
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::size_t operator[](std::size_t i) const { return list_ ? (*list_)[i] : i; }
  bool identity() const { return list_ == nullptr; }  // row i is table row i

 private:
  const std::vector<std::uint32_t>* list_ = nullptr;
  std::size_t size_;
};

// Throws kBadInput unless every value of `values` (named `name` in messages, e.g. "'age'"; rows
// `rows` of `table`) stays within 1e50 in magnitude and, when not all zero, reaches at least
// 1e-50.
void check_scale(const Eigen::Ref<const Eigen::VectorXd>& values, const std::string& name,
                 const RowMap& rows, const Table& table);
// The same for values whose largest magnitude is known (`values` is read only to name a row).
void check_scale(double largest, const Eigen::Ref<const Eigen::VectorXd>& values,
                 const std::string& name, const RowMap& rows, const Table& table);

// A column of 0/1 flags with a few other values (at most one row in 1,000, in a column of at least
// 1,000 rows) more likely holds typos than counts: the warning naming the first such value and
// its row, said of `name` (e.g. "outcome 'renew'"); "" for any other column. `read_as` says what
// reading the column as numbers means for it. Sets *binary, when given, to whether every value is
// 0 or 1.
std::string stray_codes(const Eigen::Ref<const Eigen::VectorXd>& values, const std::string& name,
                        const std::string& read_as, const RowMap& rows, const Table& table,
                        bool* binary = nullptr);

// Encodes `names` over the table rows `rows` into data.x / data.x_names, dropping constant and
// duplicated columns with a warning and rejecting identifiers and linear dependence.
void encode_covariates(const Table& table, const std::vector<std::string>& names,
                       const RowMap& rows, AnalysisData& data);

}  // namespace causeway

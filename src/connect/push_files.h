// The files of `causeway push` besides the scores CSV (read by read_text_table): the journal of
// delivered ids (one a line, appended and flushed at each delivery) and the failures CSV (the
// failed rows as they were, with push_status and push_error columns, fit to be pushed again).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "causeway/connect/outcomes.h"
#include "causeway/connect/push.h"

namespace causeway {

// The ids in a journal, in file order; a last line without its line break (a write cut short)
// is not an id. Throws Error(kIo) when the file cannot be read.
std::vector<std::string> read_journal(const std::string& path);

class Journal {
 public:
  explicit Journal(const std::string& path);  // opened for appending; throws Error(kIo)
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  void append(const std::string& id);  // written and flushed; throws Error(kIo)
  // Closes the journal and replaces it, whole or not at all, by its ids in this order: those
  // not in `row_ids` first as they were, then those in `row_ids`, in its order. A journal that
  // is not a regular file (a pipe, a device) is left as written. Throws Error(kIo).
  void rewrite_in_order(const std::vector<std::string>& row_ids);

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
};

// Written whole or not at all, with `secret` redacted wherever it stands.
void write_failures(const std::string& path, const TextTable& scores,
                    const std::vector<PushFailure>& failures, const std::string& secret);

}  // namespace causeway

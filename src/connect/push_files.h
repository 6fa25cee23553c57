// The files of `causeway push` besides the scores CSV (read by read_text_table): the journal of
// delivered ids (one a line, appended and flushed at each delivery) and the failures CSV (the
// failed rows as they were, with push_status and push_error columns, fit to be pushed again).
#pragma once

#include <cstdio>
#include <string>
#include <unordered_set>
#include <vector>

#include "causeway/connect/outcomes.h"
#include "causeway/connect/push.h"

namespace causeway {

// The ids in a journal. Throws Error(kIo) when it cannot be read.
std::unordered_set<std::string> read_journal(const std::string& path);

class Journal {
 public:
  explicit Journal(const std::string& path);  // opened for appending; throws Error(kIo)
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  void append(const std::string& id);  // written and flushed; throws Error(kIo)

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
};

// Written whole or not at all.
void write_failures(const std::string& path, const TextTable& scores,
                    const std::vector<PushFailure>& failures);

}  // namespace causeway

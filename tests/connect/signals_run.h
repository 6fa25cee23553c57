// Runs `causeway signals` on an input with a mapping written to a temporary file, for the
// signals tests.
#pragma once

#include <string>

#include "support/cli_runner.h"

namespace causeway::testing {

struct SignalsRun {
  CliResult result;
  std::string out;  // the table written to --out ("" when none was)
};

// `tag` names the temporary mapping and output files.
inline SignalsRun run_signals(const std::string& input, const std::string& mapping,
                              const std::string& extra, const std::string& tag) {
  const std::string map_file = write_temp_file(tag + "_map.json", mapping);
  const std::string out = temp_path(tag + ".csv");
  SignalsRun r{
      run_cli("signals " + input + " --mapping " + map_file + " --out " + out + " " + extra), ""};
  if (file_exists(out)) r.out = read_text_file(out);
  return r;
}

}  // namespace causeway::testing

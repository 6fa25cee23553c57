// causeway: causal inference on customer data, from the command line.
// Exit codes: 0 success, 2 bad input or impossible request, 1 internal failure, 4 push: some
// rows not delivered.
#include <malloc.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "command_line.h"
#include "core/atomic_file.h"
#include "core/text.h"

namespace {

extern "C" void on_signal(int sig) {
  causeway::remove_unfinished_output();
  ::_exit(128 + sig);
}

// OpenMP threads wait for their next parallel region spinning, by default for about 300,000
// turns (milliseconds here), then asleep. When another program keeps a core busy, that spinning
// takes the time the working threads need: a 1M-row matching run took 214 ms with one core busy
// and 129 ms with threads that sleep at once, and the same within the noise on an idle machine
// (a 20,000-row causal forest, with few long regions, the same either way). The OpenMP runtime,
// linked into the program (CMakeLists.txt), reads the policy in its own initialiser, which runs
// after this one (a lower priority number runs first). A user who sets the policy keeps it.
__attribute__((constructor(101))) void sleep_between_parallel_regions() {
  if (!std::getenv("OMP_WAIT_POLICY") && !std::getenv("GOMP_SPINCOUNT"))
    ::setenv("OMP_WAIT_POLICY", "passive", 0);
}

// What the command printed is flushed; output that could not be written (a full disk, /dev/full)
// fails the run, with a message, rather than ending it as a success with the output lost.
int flushed(int code) {
  if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return code;
  const std::string text = std::string("causeway: error: writing to standard output failed (") +
                           std::strerror(errno) +
                           "); check the disk or the program it goes to, or use --out\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
  return code != 0 ? code : 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGHUP, on_signal);
  using namespace causeway;
  // Large column vectors come and go between steps; keeping freed memory in the heap instead of
  // returning it to the kernel saves re-faulting the pages (about 15 % of a 1 M row run).
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  cli::CommandLine command_line;
  try {
    command_line.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return flushed(command_line.exit(e));
  } catch (const CLI::CallForAllHelp& e) {
    return flushed(command_line.exit(e));
  } catch (const CLI::CallForVersion& e) {
    return flushed(command_line.exit(e));
  } catch (const CLI::ParseError& e) {
    // Words left over are most often a list typed with spaces ("--common-causes age educ").
    const std::string hint =
        dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr
            ? " (a list typed with spaces? its names go separated by commas: --common-causes "
              "age,educ,race)"
            : "";
    const std::string text =
        "causeway: error: " + printable(e.what(), 4000) + hint +
        "\nrun 'causeway --help' for the commands (analyze, describe, diagnose, estimate, "
        "identify, push, refute, score, signals, simulate, uplift) "
        "and "
        "'causeway <command> --help' for their options\n";
    std::fwrite(text.data(), 1, text.size(), stderr);
    return 2;
  }
  try {
    return flushed(command_line.run());
  } catch (const Error& e) {
    std::fflush(stdout);
    // one line: a line break in it comes from the data (a level's name)
    const std::string text = "causeway: error: " + printable(e.message(), 4000, false) + "\n";
    std::fwrite(text.data(), 1, text.size(), stderr);
    return exit_code_for(e.code());
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "causeway: error: out of memory\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "causeway: internal error: %s\n", e.what());
    return 1;
  }
  return 0;
}

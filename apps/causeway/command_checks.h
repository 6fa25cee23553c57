// Checks of the command line before the parser reads it, for the mistakes its own messages
// name badly or let through.
#pragma once

#include <CLI/CLI.hpp>
#include <vector>

namespace causeway::cli {

// Refuses, with a message naming the nearest right name where there is one: a word where the
// command belongs; an option the command does not have (also one long name after one dash); an
// option's value that is another option or "--" (the parser took it as the value, and wrote a
// file named "--json"); a list with an empty name; an option of one value given twice.
// `named` is the command named first (null when none is), `commands` every command.
void check_command_line(const CLI::App& app, const std::vector<const CLI::App*>& commands,
                        const CLI::App* named, int argc, const char* const* argv);

}  // namespace causeway::cli

// The native part of the Python module: runs causeway's commands in process, on the columns of a
// DataFrame, and returns what they print. The Python package (python/causeway) builds the
// command lines from DoWhy- and EconML-shaped calls; this part only runs them, so Python and the
// program parse, check and compute the same way.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "causeway/status.h"
#include "command_line.h"
#include "command_support.h"
#include "core/stop.h"

namespace py = pybind11;

namespace {

using causeway::FrameColumn;

// A DataFrame's columns as (name, values): a float64 numpy array (read in place), a list of text
// cells (None for a missing cell), or None for a column the run does not use.
std::vector<FrameColumn> frame_columns(const py::list& columns,
                                       std::vector<py::array_t<double>>& keep_alive) {
  std::vector<FrameColumn> out;
  for (const py::handle item : columns) {
    const auto pair = item.cast<py::tuple>();
    FrameColumn c;
    c.name = pair[0].cast<std::string>();
    const py::object values = pair[1];
    if (values.is_none()) {
      c.absent = true;
    } else if (py::isinstance<py::array>(values)) {
      auto array = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(values);
      if (!array || array.ndim() != 1)
        throw py::value_error("column '" + c.name + "': expected a one-dimensional array");
      c.numeric = true;
      c.numbers = {array.data(), static_cast<std::size_t>(array.size())};
      keep_alive.push_back(std::move(array));
    } else {
      for (const py::handle cell : values.cast<py::list>())
        c.cells.push_back(cell.is_none() ? std::string() : py::str(cell).cast<std::string>());
    }
    out.push_back(std::move(c));
  }
  return out;
}

struct Outcome {
  int code = 0;
  std::string output, message;
  bool failed = false;
};

// `causeway ARGS...` on `frame` (or on the files the arguments name), what it printed and how it
// ended. Runs without the GIL.
Outcome run_command(const std::vector<std::string>& args, const std::vector<FrameColumn>* frame,
                    std::size_t rows) {
  Outcome outcome;
  std::vector<const char*> argv{"causeway"};
  for (const auto& a : args) argv.push_back(a.c_str());
  causeway::cli::CommandLine command_line;
  std::optional<causeway::cli::FrameInput> input;
  if (frame != nullptr) input.emplace(*frame, rows);
  causeway::cli::OutputCapture capture(outcome.output);
  try {
    command_line.parse(static_cast<int>(argv.size()), argv.data());
    outcome.code = command_line.run();
  } catch (const CLI::Error& e) {
    outcome.failed = true, outcome.message = e.what();
  } catch (const causeway::Error& e) {
    outcome.failed = true, outcome.message = e.message();
    outcome.code = causeway::exit_code_for(e.code());
  } catch (const std::exception& e) {
    outcome.failed = true, outcome.message = std::string("internal error: ") + e.what();
    outcome.code = 1;
  }
  return outcome;
}

}  // namespace

PYBIND11_MODULE(_causeway, m) {
  m.doc() = "causeway's engine: the command line's commands, run in process";
  m.attr("__version__") = CAUSEWAY_VERSION;

  m.def(
      "run",
      [](const std::vector<std::string>& args, const py::object& columns, std::size_t rows) {
        std::vector<py::array_t<double>> keep_alive;
        const std::vector<FrameColumn> frame =
            columns.is_none() ? std::vector<FrameColumn>{}
                              : frame_columns(columns.cast<py::list>(), keep_alive);
        Outcome outcome;
        // The command runs on its own thread while this one, holding the GIL only briefly,
        // watches for Ctrl-C: a KeyboardInterrupt asks the command's loops to stop, and this
        // thread returns once the command has (it reads the DataFrame's memory until then).
        auto done = std::async(std::launch::async, [&] {
          outcome = run_command(args, columns.is_none() ? nullptr : &frame, rows);
        });
        for (;;) {
          {
            py::gil_scoped_release release;
            if (done.wait_for(std::chrono::milliseconds(100)) == std::future_status::ready) break;
          }
          if (PyErr_CheckSignals() != 0) {
            causeway::request_stop();
            {
              py::gil_scoped_release release;
              done.wait();
            }
            causeway::clear_stop();
            throw py::error_already_set();
          }
        }
        done.get();
        return py::make_tuple(outcome.code, outcome.output,
                              outcome.failed ? py::object(py::str(outcome.message)) : py::none());
      },
      py::arg("args"), py::arg("columns") = py::none(), py::arg("rows") = 0,
      "Runs `causeway ARGS...` in process; with columns, on them instead of a data file. Returns "
      "(exit code, standard output, error message or None): a command may print before it fails "
      "(identify prints why an effect is not identifiable).");
}

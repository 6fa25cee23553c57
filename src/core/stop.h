// Stopping long work on request: the Python module asks for a stop when the user presses
// Ctrl-C. Loops that run for seconds (trees, refutation simulations, bootstrap replicates) skip
// their remaining steps once a stop is requested and then throw, so the caller gets control back
// without waiting for the whole run. The program itself never requests a stop: its Ctrl-C ends
// the process (main.cpp).
#pragma once

namespace causeway {

void request_stop();
void clear_stop();
bool stop_requested();
// Throws Error(kBadInput, "interrupted") once a stop was requested.
void throw_if_stopped();

}  // namespace causeway

#include "causeway/status.h"

namespace causeway {

int exit_code_for(ErrorCode code) {
  return code == ErrorCode::kInternal ? 1 : 2;
}

}  // namespace causeway

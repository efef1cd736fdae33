#pragma once
#include <stdexcept>

namespace castline::bootmedia {

// Every failure of a media build: bad input, a missing module, a failed tool. The message names
// the thing that is wrong; the command prints it and leaves the output folder as it was.
class BootmediaError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace castline::bootmedia

#pragma once
#include <string_view>

namespace castline::bootmedia {

// bootmedia/init.sh and bootmedia/udhcpc.script, compiled in (embed_scripts.cmake).
std::string_view init_script();
std::string_view udhcpc_script();

}  // namespace castline::bootmedia

# cmake -DOUTPUT=FILE -DINIT=init.sh -DUDHCPC=udhcpc.script -P embed_scripts.cmake
# Writes a C++ file that returns the scripts' bytes, so that the castline binary carries them.
file(READ ${INIT} init_text)
file(READ ${UDHCPC} udhcpc_text)
foreach(text init_text udhcpc_text)
  string(FIND "${${text}}" ")castline_script\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "a script contains the raw string delimiter")
  endif()
endforeach()
file(WRITE ${OUTPUT}.new "// Generated from bootmedia/init.sh and bootmedia/udhcpc.script; do not edit.
#include \"bootmedia/embedded_scripts.hpp\"

namespace castline::bootmedia {

std::string_view init_script() {
    return R\"castline_script(${init_text})castline_script\";
}

std::string_view udhcpc_script() {
    return R\"castline_script(${udhcpc_text})castline_script\";
}

}  // namespace castline::bootmedia
")
file(COPY_FILE ${OUTPUT}.new ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.new)

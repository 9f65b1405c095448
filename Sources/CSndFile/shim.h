// Shim for libsndfile: WAV, FLAC and OGG/Vorbis reading and writing.
#ifndef MLWB_CSNDFILE_SHIM_H
#define MLWB_CSNDFILE_SHIM_H
#include <sndfile.h>
#endif

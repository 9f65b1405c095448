import CSndFile
import Media

/// A file format and encoding that `AudioFile.save` can write.
public enum AudioFormat: Sendable, Equatable {
    /// RIFF WAVE with the given sample encoding.
    case wav(WAVEncoding)
    /// FLAC, 16-bit lossless.
    case flac
    /// Ogg Vorbis; `quality` from 0 (smallest) to 1 (best).
    case oggVorbis(quality: Double)

    /// The sample encodings a WAV file can hold.
    public enum WAVEncoding: Sendable, Equatable {
        /// Signed 16-bit integers (the default).
        case pcm16
        /// Signed 24-bit integers.
        case pcm24
        /// 32-bit IEEE floats.
        case float32
    }

    /// 16-bit PCM WAV.
    public static let wav16 = AudioFormat.wav(.pcm16)
    /// 24-bit PCM WAV.
    public static let wav24 = AudioFormat.wav(.pcm24)
    /// 32-bit float WAV.
    public static let wavFloat = AudioFormat.wav(.float32)
    /// Ogg Vorbis at the default quality (0.6).
    public static let ogg = AudioFormat.oggVorbis(quality: 0.6)

    /// File name extensions `AudioFile.load` reads (libsndfile's containers; lower case, no dot).
    public static let readableExtensions: Set<String> = ["wav", "wave", "flac", "ogg", "oga", "aif", "aiff", "au", "snd", "caf"]

    // MARK: Choosing a format

    /// The default format for the extension of `path` (.wav, .wave, .flac, .ogg, .oga).
    public static func inferred(from path: String) throws -> AudioFormat {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else {
            throw MediaError.unsupported(path: path, detail: "no file extension; use .wav, .flac or .ogg")
        }
        switch name[name.index(after: dot)...].lowercased() {
        case "wav", "wave": return .wav16
        case "flac": return .flac
        case "ogg", "oga": return .ogg
        case let other:
            throw MediaError.unsupported(path: path, detail: "cannot write audio as .\(other); use .wav, .flac or .ogg")
        }
    }

    // MARK: libsndfile mapping

    /// A short human-readable name, e.g. "WAV 16-bit PCM".
    public var name: String {
        switch self {
        case .wav(.pcm16): return "WAV 16-bit PCM"
        case .wav(.pcm24): return "WAV 24-bit PCM"
        case .wav(.float32): return "WAV 32-bit float"
        case .flac: return "FLAC 16-bit"
        case .oggVorbis: return "Ogg Vorbis"
        }
    }

    /// The libsndfile major|minor format code.
    var sndfileFormat: Int32 {
        switch self {
        case .wav(.pcm16): return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
        case .wav(.pcm24): return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_24)
        case .wav(.float32): return Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT)
        case .flac: return Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
        case .oggVorbis: return Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS)
        }
    }

    /// A readable name for a libsndfile format code as found in a file being read.
    static func describe(sndfileFormat format: Int32) -> String {
        let major = Int(format) & Int(SF_FORMAT_TYPEMASK)
        let minor = Int(format) & Int(SF_FORMAT_SUBMASK)
        let container: String
        switch major {
        case Int(SF_FORMAT_WAV): container = "WAV"
        case Int(SF_FORMAT_WAVEX): container = "WAV (extensible)"
        case Int(SF_FORMAT_RF64): container = "RF64"
        case Int(SF_FORMAT_AIFF): container = "AIFF"
        case Int(SF_FORMAT_AU): container = "AU"
        case Int(SF_FORMAT_FLAC): container = "FLAC"
        case Int(SF_FORMAT_OGG): container = "Ogg"
        case Int(SF_FORMAT_CAF): container = "CAF"
        case Int(SF_FORMAT_W64): container = "W64"
        default: container = majorName(format) ?? "audio"
        }
        let encoding: String
        switch minor {
        case Int(SF_FORMAT_PCM_S8), Int(SF_FORMAT_PCM_U8): encoding = "8-bit PCM"
        case Int(SF_FORMAT_PCM_16): encoding = "16-bit PCM"
        case Int(SF_FORMAT_PCM_24): encoding = "24-bit PCM"
        case Int(SF_FORMAT_PCM_32): encoding = "32-bit PCM"
        case Int(SF_FORMAT_FLOAT): encoding = "32-bit float"
        case Int(SF_FORMAT_DOUBLE): encoding = "64-bit float"
        case Int(SF_FORMAT_ULAW): encoding = "µ-law"
        case Int(SF_FORMAT_ALAW): encoding = "A-law"
        case Int(SF_FORMAT_VORBIS): encoding = "Vorbis"
        case Int(SF_FORMAT_OPUS): encoding = "Opus"
        case Int(SF_FORMAT_IMA_ADPCM), Int(SF_FORMAT_MS_ADPCM): encoding = "ADPCM"
        default: encoding = ""
        }
        if major == Int(SF_FORMAT_FLAC), encoding.hasSuffix("PCM") {
            return "FLAC " + encoding.dropLast(4)
        }
        return encoding.isEmpty ? container : container + " " + encoding
    }

    /// libsndfile's own name for the major format of `format`, if it knows one.
    private static func majorName(_ format: Int32) -> String? {
        var info = SF_FORMAT_INFO()
        info.format = format & Int32(SF_FORMAT_TYPEMASK)
        guard mlwb_sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &info, Int32(MemoryLayout<SF_FORMAT_INFO>.size)) == 0,
              let name = info.name else { return nil }
        return String(cString: name)
    }
}

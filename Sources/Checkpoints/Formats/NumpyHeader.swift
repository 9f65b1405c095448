/// The fields of a `.npy` header, parsed from its Python dict literal
/// (`{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`) without evaluating anything.
struct NumpyHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    // MARK: Parsing

    private enum Token: Equatable {
        case string(String), integer(Int), word(String), symbol(Character)
    }

    static func parse(_ text: String) throws -> NumpyHeader {
        var tokens = try tokenize(text)[...]
        func next() throws -> Token {
            guard let token = tokens.popFirst() else { throw bad("header ends early") }
            return token
        }
        guard try next() == .symbol("{") else { throw bad("header is not a dict literal") }
        var descr: String?, fortran: Bool?, shape: [Int]?
        while true {
            let token = try next()
            if token == .symbol("}") { break }
            if token == .symbol(",") { continue }
            guard case .string(let key) = token, try next() == .symbol(":") else { throw bad("header key expected") }
            switch key {
            case "descr":
                guard case .string(let value) = try next() else {
                    throw CheckpointError.unsupported(format: "npy", detail: "structured dtypes (descr is not a plain type string)")
                }
                descr = value
            case "fortran_order":
                switch try next() {
                case .word("True"): fortran = true
                case .word("False"): fortran = false
                default: throw bad("fortran_order is not True or False")
                }
            case "shape":
                guard try next() == .symbol("(") else { throw bad("shape is not a tuple") }
                var dims: [Int] = []
                while true {
                    let item = try next()
                    if item == .symbol(")") { break }
                    if item == .symbol(",") { continue }
                    guard case .integer(let dim) = item else { throw bad("shape holds a non-integer") }
                    dims.append(dim)
                }
                shape = dims
            default:
                throw bad("unexpected header key '\(key)'")
            }
        }
        guard let descr, let fortran, let shape else { throw bad("header lacks descr, fortran_order or shape") }
        return NumpyHeader(descr: descr, fortranOrder: fortran, shape: shape)
    }

    private static func tokenize(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        var chars = Array(text)[...]
        while let c = chars.first {
            if c.isWhitespace { chars.removeFirst(); continue }
            if "{}():,".contains(c) { tokens.append(.symbol(c)); chars.removeFirst(); continue }
            if c == "'" || c == "\"" {
                chars.removeFirst()
                guard let close = chars.firstIndex(of: c) else { throw bad("unterminated string") }
                tokens.append(.string(String(chars[..<close])))
                chars = chars[(close + 1)...]
                continue
            }
            if c.isNumber {
                let digits = chars.prefix { $0.isNumber }
                guard digits.count <= 18, let value = Int(String(digits)) else { throw bad("dimension too large") }
                tokens.append(.integer(value))
                chars = chars.dropFirst(digits.count)
                continue
            }
            if c.isLetter {
                let word = chars.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                tokens.append(.word(String(word)))
                chars = chars.dropFirst(word.count)
                continue
            }
            throw bad("unexpected character '\(c)' in header")
        }
        return tokens
    }

    private static func bad(_ detail: String) -> CheckpointError { .malformed(format: "npy", detail: detail) }
}

/// Something a test needs is missing from this machine (a built binary, a tool the README lists):
/// thrown, it fails the test with a message saying what to install or build.
public struct TestEnvironmentError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

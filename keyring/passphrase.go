package keyring

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// EnvPassphrase is the environment variable read by PassphraseFromEnv("")
// and DefaultPassphrase.
const EnvPassphrase = "DATARIGHTS_KEYRING_PASSPHRASE"

// PassphraseFromFile returns a PassphraseFunc that answers every request
// with the first line of the file at path (without its line ending). The
// file is read at each call. An empty first line is an error.
func PassphraseFromFile(path string) PassphraseFunc {
	return func(string, bool) (string, error) {
		f, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("reading passphrase file: %w", err)
		}
		defer f.Close()
		line, err := bufio.NewReader(io.LimitReader(f, 64<<10)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("reading passphrase file %s: %w", path, err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return "", fmt.Errorf("passphrase file %s: first line is empty", path)
		}
		return line, nil
	}
}

// PassphraseFromEnv returns a PassphraseFunc that answers every request
// with the value of the environment variable name (EnvPassphrase if name
// is empty). The variable is read at each call; an unset or empty variable
// is an error.
func PassphraseFromEnv(name string) PassphraseFunc {
	if name == "" {
		name = EnvPassphrase
	}
	return func(string, bool) (string, error) {
		v := os.Getenv(name)
		if v == "" {
			return "", fmt.Errorf("environment variable %s is not set", name)
		}
		return v, nil
	}
}

// PromptPassphrase returns a PassphraseFunc that writes the prompt to out
// and reads the passphrase as one line from in, without echo when in is a
// terminal. When confirm is true it asks a second time and fails if the two
// entries differ.
func PromptPassphrase(in *os.File, out io.Writer) PassphraseFunc {
	return func(prompt string, confirm bool) (string, error) {
		p, err := promptOnce(in, out, capitalize(prompt)+": ")
		if err != nil {
			return "", err
		}
		if !confirm || p == "" {
			// An empty new passphrase is rejected by the keyring; no
			// point asking for it twice.
			return p, nil
		}
		again, err := promptOnce(in, out, "Repeat the "+prompt+": ")
		if err != nil {
			return "", err
		}
		if again != p {
			return "", errors.New("the passphrases do not match")
		}
		return p, nil
	}
}

func capitalize(s string) string {
	if s == "" {
		return "Passphrase"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func promptOnce(in *os.File, out io.Writer, prompt string) (string, error) {
	if _, err := io.WriteString(out, prompt); err != nil {
		return "", err
	}
	var (
		line []byte
		err  error
	)
	if isTerminal(in) {
		line, err = readPassword(in)
		// The user's Enter was not echoed.
		_, _ = io.WriteString(out, "\n")
	} else {
		line, err = readLine(in)
	}
	if err != nil {
		if errors.Is(err, io.EOF) && len(line) == 0 {
			return "", errors.New("no passphrase entered")
		}
		if !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("reading passphrase: %w", err)
		}
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}

// readLine reads one line byte by byte, so that nothing after the line is
// consumed from r (the next prompt reads it).
func readLine(r io.Reader) ([]byte, error) {
	var line []byte
	var b [1]byte
	for {
		n, err := r.Read(b[:])
		if n == 1 {
			if b[0] == '\n' {
				return line, nil
			}
			line = append(line, b[0])
			if len(line) > 64<<10 {
				return nil, errors.New("line too long")
			}
		}
		if err != nil {
			return line, err
		}
	}
}

// DefaultPassphrase returns the passphrase source used by the CLI: the file
// passFile if it is set, else the environment variable EnvPassphrase if it
// is set, else an interactive prompt (on standard error) if standard input
// is a terminal. Otherwise every request fails with an error explaining how
// to provide a passphrase.
func DefaultPassphrase(passFile string) PassphraseFunc {
	switch {
	case passFile != "":
		return PassphraseFromFile(passFile)
	case os.Getenv(EnvPassphrase) != "":
		return PassphraseFromEnv(EnvPassphrase)
	case isTerminal(os.Stdin):
		return PromptPassphrase(os.Stdin, os.Stderr)
	default:
		return func(string, bool) (string, error) {
			return "", errors.New("no passphrase: use --passphrase-file or " + EnvPassphrase)
		}
	}
}

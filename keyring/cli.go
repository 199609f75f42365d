package keyring

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

// Output formats accepted from the flags function of Commands.
const (
	outputText = "text"
	outputJSON = "json"
)

// Commands returns the "keys" command and its subcommands (add, list, show,
// import, export, delete). flags is called by every subcommand when it runs
// to open the keyring selected by the command line and to get the output
// format, "text" (the default when empty) or "json". Results are written to
// cmd.OutOrStdout(); confirmation prompts go to cmd.ErrOrStderr() and
// answers are read from cmd.InOrStdin().
func Commands(flags func(cmd *cobra.Command) (Keyring, string, error)) *cobra.Command {
	keys := &cobra.Command{
		Use:   "keys",
		Short: "Manage the account keys of the local keyring",
	}
	keys.AddCommand(
		addCmd(flags),
		listCmd(flags),
		showCmd(flags),
		importCmd(flags),
		exportCmd(flags),
		deleteCmd(flags),
	)
	return keys
}

type flagsFunc = func(cmd *cobra.Command) (Keyring, string, error)

// openKeyring calls flags and checks the output format. It also silences the usage
// message: from here on, errors are about keys, not about the command line.
func openKeyring(cmd *cobra.Command, flags flagsFunc) (Keyring, string, error) {
	kr, output, err := flags(cmd)
	if err != nil {
		return nil, "", err
	}
	switch output {
	case "":
		output = outputText
	case outputText, outputJSON:
	default:
		return nil, "", fmt.Errorf("unknown output format %q (valid formats: %s, %s)", output, outputText, outputJSON)
	}
	cmd.SilenceUsage = true
	return kr, output, nil
}

// infoJSON is the JSON form of a key printed by the commands.
type infoJSON struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	Backend string `json:"backend"`
	Warning string `json:"warning,omitempty"`
	File    string `json:"file,omitempty"`
	Deleted bool   `json:"deleted,omitempty"`
}

func toJSON(info Info) infoJSON {
	return infoJSON{Name: info.Name, Address: info.Address.Hex(), Backend: info.Backend}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printNewKey prints a key that was just added or imported.
func printNewKey(w io.Writer, output string, info Info) error {
	var warning string
	if info.Backend == BackendTest {
		warning = TestKeyWarning
	}
	if output == outputJSON {
		v := toJSON(info)
		v.Warning = warning
		return writeJSON(w, v)
	}
	printInfo(w, info)
	if warning != "" {
		_, err := fmt.Fprintln(w, "WARNING: this is an unencrypted test key (test backend) - for local networks only")
		return err
	}
	_, err := fmt.Fprintf(w, "Keep a backup of this key (keys export %s): it cannot be recovered if lost.\n", info.Name)
	return err
}

func printInfo(w io.Writer, info Info) {
	fmt.Fprintf(w, "name:    %s\naddress: %s\nbackend: %s\n", info.Name, info.Address.Hex(), info.Backend)
}

func addCmd(flags flagsFunc) *cobra.Command {
	return &cobra.Command{
		Use:   "add NAME",
		Short: "Generate a new key and store it under NAME",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, output, err := openKeyring(cmd, flags)
			if err != nil {
				return err
			}
			info, _, err := kr.Add(args[0])
			if err != nil {
				return err
			}
			return printNewKey(cmd.OutOrStdout(), output, info)
		},
	}
}

func listCmd(flags flagsFunc) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the stored keys",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, output, err := openKeyring(cmd, flags)
			if err != nil {
				return err
			}
			infos, err := kr.List()
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if output == outputJSON {
				list := make([]infoJSON, 0, len(infos))
				for _, info := range infos {
					list = append(list, toJSON(info))
				}
				return writeJSON(w, list)
			}
			if len(infos) == 0 {
				_, err := fmt.Fprintf(w, "no keys in the %s keyring\n", kr.Backend())
				return err
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tADDRESS\tBACKEND")
			for _, info := range infos {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", info.Name, info.Address.Hex(), info.Backend)
			}
			return tw.Flush()
		},
	}
}

func showCmd(flags flagsFunc) *cobra.Command {
	var addressOnly bool
	cmd := &cobra.Command{
		Use:   "show NAME|ADDRESS",
		Short: "Show a key's name and address",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, output, err := openKeyring(cmd, flags)
			if err != nil {
				return err
			}
			info, err := kr.Get(args[0])
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			switch {
			case addressOnly:
				_, err = fmt.Fprintln(w, info.Address.Hex())
			case output == outputJSON:
				err = writeJSON(w, toJSON(info))
			default:
				printInfo(w, info)
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&addressOnly, "address", false, "print only the address")
	return cmd
}

func importCmd(flags flagsFunc) *cobra.Command {
	return &cobra.Command{
		Use:   "import NAME FILE",
		Short: "Import a key from a Web3 Secret Storage JSON or hex private key file",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, output, err := openKeyring(cmd, flags)
			if err != nil {
				return err
			}
			info, err := kr.ImportFile(args[0], args[1])
			if err != nil {
				return err
			}
			return printNewKey(cmd.OutOrStdout(), output, info)
		},
	}
}

func exportCmd(flags flagsFunc) *cobra.Command {
	var outFile string
	cmd := &cobra.Command{
		Use:   "export NAME|ADDRESS",
		Short: "Export a key as an encrypted Web3 Secret Storage JSON",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, output, err := openKeyring(cmd, flags)
			if err != nil {
				return err
			}
			info, err := kr.Get(args[0])
			if err != nil {
				return err
			}
			if outFile != "" {
				// Fail before asking any passphrase if the file exists.
				if _, err := os.Lstat(outFile); err == nil {
					return fmt.Errorf("%s already exists; not overwriting it", outFile)
				}
			}
			data, err := kr.Export(info.Name)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if outFile == "" {
				_, err = fmt.Fprintln(w, strings.TrimSpace(string(data)))
				return err
			}
			if err := writeNewFile(outFile, append(data, '\n')); err != nil {
				return err
			}
			if output == outputJSON {
				v := toJSON(info)
				v.File = outFile
				return writeJSON(w, v)
			}
			_, err = fmt.Fprintf(w, "exported key %q (%s) to %s\n", info.Name, info.Address.Hex(), outFile)
			return err
		},
	}
	cmd.Flags().StringVar(&outFile, "out", "", "write the key to this new file (mode 0600) instead of standard output")
	return cmd
}

// writeNewFile creates path with mode 0600; it never overwrites a file.
func writeNewFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func deleteCmd(flags flagsFunc) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "delete NAME|ADDRESS",
		Short: "Delete a key from the keyring",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, output, err := openKeyring(cmd, flags)
			if err != nil {
				return err
			}
			info, err := kr.Get(args[0])
			if err != nil {
				return err
			}
			if !yes {
				fmt.Fprintf(cmd.ErrOrStderr(), "Deleting key %q (%s) cannot be undone without a backup.\nType the key name to confirm: ", info.Name, info.Address.Hex())
				answer, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
				if err != nil && !errors.Is(err, io.EOF) {
					return fmt.Errorf("reading confirmation: %w", err)
				}
				if strings.TrimSpace(answer) != info.Name {
					return fmt.Errorf("confirmation does not match: key %q not deleted", info.Name)
				}
			}
			if err := kr.Delete(info.Name); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if output == outputJSON {
				v := toJSON(info)
				v.Deleted = true
				return writeJSON(w, v)
			}
			_, err = fmt.Fprintf(w, "deleted key %q (%s)\n", info.Name, info.Address.Hex())
			return err
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "delete without asking for confirmation")
	return cmd
}

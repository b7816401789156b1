# bash completion for docket(1).
# Installed as $(PREFIX)/share/bash-completion/completions/docket; to try
# it without installing: source completions/docket.bash

_docket()
{
	local cur prev cmd i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	COMPREPLY=()

	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done

	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "build check serve new help --help --version" -- "$cur"))
		return
	fi

	case $prev in
	-o|--output|--cache-dir)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--diagnostics)
		COMPREPLY=($(compgen -W "gcc github" -- "$cur")); return ;;
	--as-of|--base-url|--port|--bind|-j|--jobs)
		return ;;
	esac

	case $cmd in
	build)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-o --output --as-of --base-url --cache-dir --drafts --no-history --strict --diagnostics -j --jobs -q --quiet -v --verbose --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -d -- "$cur"))
		fi ;;
	check)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--drafts --no-history --diagnostics -j --jobs -q --quiet --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -d -- "$cur"))
		fi ;;
	serve)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--port --bind --drafts -q --quiet --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -d -- "$cur"))
		fi ;;
	new)
		# docket new vendor ID [SOURCE]
		if ((COMP_CWORD == i + 1)); then
			COMPREPLY=($(compgen -W "vendor" -- "$cur"))
		elif ((COMP_CWORD == i + 3)); then
			COMPREPLY=($(compgen -d -- "$cur"))
		fi ;;
	help)
		if ((COMP_CWORD == i + 1)); then
			COMPREPLY=($(compgen -W "build check serve new help" -- "$cur"))
		fi ;;
	esac
}
complete -F _docket docket

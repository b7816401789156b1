/*
 * libgit2, loaded when docket first calls it rather than by every run of
 * docket: with what it loads (libssh2 and OpenSSL's libcrypto, Kerberos,
 * mbed TLS), loading and setting it up took 1.35 of the 3.6 ms of CPU
 * time every run spent starting, whether it read the history or not
 * (docs/performance.md, item 71). Include this header, not <git2.h>: each
 * function below is then called through its pointer, whose type is that
 * of the declaration in <git2.h>, and the first call loads the library.
 */
#ifndef DOCKET_GITLIB_H
#define DOCKET_GITLIB_H

#include <stdatomic.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>

/* The functions docket calls, each given to X(). */
#define GIT2_SYMS(X)					\
	X(git_blob_free)				\
	X(git_blob_lookup)				\
	X(git_blob_rawcontent)				\
	X(git_blob_rawsize)				\
	X(git_buf_dispose)				\
	X(git_commit_author)				\
	X(git_commit_free)				\
	X(git_commit_id)				\
	X(git_commit_lookup)				\
	X(git_commit_message_encoding)			\
	X(git_commit_parent)				\
	X(git_commit_parent_id)				\
	X(git_commit_parentcount)			\
	X(git_commit_summary)				\
	X(git_commit_time)				\
	X(git_commit_tree)				\
	X(git_commit_tree_id)				\
	X(git_config_free)				\
	X(git_config_get_string_buf)			\
	X(git_config_iterator_free)			\
	X(git_config_iterator_new)			\
	X(git_config_next)				\
	X(git_config_parse_bool)			\
	X(git_diff_free)				\
	X(git_diff_get_delta)				\
	X(git_diff_num_deltas)				\
	X(git_diff_options_init)			\
	X(git_diff_tree_to_tree)			\
	X(git_error_clear)				\
	X(git_error_last)				\
	X(git_error_set_oom)				\
	X(git_error_set_str)				\
	X(git_index_entrycount)				\
	X(git_index_free)				\
	X(git_index_get_byindex)			\
	X(git_libgit2_features)				\
	X(git_libgit2_init)				\
	X(git_libgit2_opts)				\
	X(git_libgit2_shutdown)				\
	X(git_mailmap_free)				\
	X(git_mailmap_from_buffer)			\
	X(git_mailmap_resolve)				\
	X(git_merge_file)				\
	X(git_merge_file_input_init)			\
	X(git_merge_file_result_free)			\
	X(git_object_free)				\
	X(git_object_lookup)				\
	X(git_object_peel)				\
	X(git_object_string2type)			\
	X(git_object_type)				\
	X(git_object_type2string)			\
	X(git_odb_add_backend)				\
	X(git_odb_backend_data_alloc)			\
	X(git_odb_backend_data_free)			\
	X(git_odb_backend_pack)				\
	X(git_odb_exists)				\
	X(git_odb_free)					\
	X(git_odb_get_backend)				\
	X(git_odb_hash)					\
	X(git_odb_init_backend)				\
	X(git_odb_num_backends)				\
	X(git_odb_object_data)				\
	X(git_odb_object_free)				\
	X(git_odb_object_size)				\
	X(git_odb_object_type)				\
	X(git_odb_read)					\
	X(git_odb_read_header)				\
	X(git_oid_cmp)					\
	X(git_oid_cpy)					\
	X(git_oid_equal)				\
	X(git_oid_fromstr)				\
	X(git_oid_fromstrn)				\
	X(git_oid_is_zero)				\
	X(git_oid_tostr)				\
	X(git_oid_tostr_s)				\
	X(git_reference_dwim)				\
	X(git_reference_free)				\
	X(git_reference_name_to_id)			\
	X(git_reference_resolve)			\
	X(git_reference_target)				\
	X(git_repository_commondir)			\
	X(git_repository_config_snapshot)		\
	X(git_repository_discover)			\
	X(git_repository_free)				\
	X(git_repository_hashfile)			\
	X(git_repository_head_unborn)			\
	X(git_repository_index)				\
	X(git_repository_is_shallow)			\
	X(git_repository_odb)				\
	X(git_repository_open_ext)			\
	X(git_repository_path)				\
	X(git_repository_workdir)			\
	X(git_revparse_single)				\
	X(git_status_byindex)				\
	X(git_status_list_entrycount)			\
	X(git_status_list_free)				\
	X(git_status_list_new)				\
	X(git_status_options_init)			\
	X(git_tree_dup)					\
	X(git_tree_entry_byindex)			\
	X(git_tree_entry_byname)			\
	X(git_tree_entry_bypath)			\
	X(git_tree_entry_dup)				\
	X(git_tree_entry_filemode)			\
	X(git_tree_entry_free)				\
	X(git_tree_entry_id)				\
	X(git_tree_entry_name)				\
	X(git_tree_entry_type)				\
	X(git_tree_entrycount)				\
	X(git_tree_free)				\
	X(git_tree_id)					\
	X(git_tree_lookup)				\
	X(git_tree_walk)

struct gitlib {
#define GIT2_SYM_MEMBER(name)	__typeof__(name) *name;
	GIT2_SYMS(GIT2_SYM_MEMBER)
#undef GIT2_SYM_MEMBER
};

extern struct gitlib	gitlib_syms;
extern atomic_bool	gitlib_loaded;

/*
 * Loads libgit2 and finds every function of GIT2_SYMS(), once whichever
 * thread calls first. Exits with a message that names the library when
 * it cannot.
 */
struct gitlib	*gitlib_load(void);

static inline struct gitlib *
gitlib(void)
{
	return atomic_load_explicit(&gitlib_loaded, memory_order_acquire) ?
	    &gitlib_syms : gitlib_load();
}

#ifndef GITLIB_NO_SHORTHAND
#define git_blob_free	(gitlib()->git_blob_free)
#define git_blob_lookup	(gitlib()->git_blob_lookup)
#define git_blob_rawcontent	(gitlib()->git_blob_rawcontent)
#define git_blob_rawsize	(gitlib()->git_blob_rawsize)
#define git_buf_dispose	(gitlib()->git_buf_dispose)
#define git_commit_author	(gitlib()->git_commit_author)
#define git_commit_free	(gitlib()->git_commit_free)
#define git_commit_id	(gitlib()->git_commit_id)
#define git_commit_lookup	(gitlib()->git_commit_lookup)
#define git_commit_message_encoding	(gitlib()->git_commit_message_encoding)
#define git_commit_parent	(gitlib()->git_commit_parent)
#define git_commit_parent_id	(gitlib()->git_commit_parent_id)
#define git_commit_parentcount	(gitlib()->git_commit_parentcount)
#define git_commit_summary	(gitlib()->git_commit_summary)
#define git_commit_time	(gitlib()->git_commit_time)
#define git_commit_tree	(gitlib()->git_commit_tree)
#define git_commit_tree_id	(gitlib()->git_commit_tree_id)
#define git_config_free	(gitlib()->git_config_free)
#define git_config_get_string_buf	(gitlib()->git_config_get_string_buf)
#define git_config_iterator_free	(gitlib()->git_config_iterator_free)
#define git_config_iterator_new	(gitlib()->git_config_iterator_new)
#define git_config_next	(gitlib()->git_config_next)
#define git_config_parse_bool	(gitlib()->git_config_parse_bool)
#define git_diff_free	(gitlib()->git_diff_free)
#define git_diff_get_delta	(gitlib()->git_diff_get_delta)
#define git_diff_num_deltas	(gitlib()->git_diff_num_deltas)
#define git_diff_options_init	(gitlib()->git_diff_options_init)
#define git_diff_tree_to_tree	(gitlib()->git_diff_tree_to_tree)
#define git_error_clear	(gitlib()->git_error_clear)
#define git_error_last	(gitlib()->git_error_last)
#define git_error_set_oom	(gitlib()->git_error_set_oom)
#define git_error_set_str	(gitlib()->git_error_set_str)
#define git_index_entrycount	(gitlib()->git_index_entrycount)
#define git_index_free	(gitlib()->git_index_free)
#define git_index_get_byindex	(gitlib()->git_index_get_byindex)
#define git_libgit2_features	(gitlib()->git_libgit2_features)
#define git_libgit2_init	(gitlib()->git_libgit2_init)
#define git_libgit2_opts	(gitlib()->git_libgit2_opts)
#define git_libgit2_shutdown	(gitlib()->git_libgit2_shutdown)
#define git_mailmap_free	(gitlib()->git_mailmap_free)
#define git_mailmap_from_buffer	(gitlib()->git_mailmap_from_buffer)
#define git_mailmap_resolve	(gitlib()->git_mailmap_resolve)
#define git_merge_file	(gitlib()->git_merge_file)
#define git_merge_file_input_init	(gitlib()->git_merge_file_input_init)
#define git_merge_file_result_free	(gitlib()->git_merge_file_result_free)
#define git_object_free	(gitlib()->git_object_free)
#define git_object_lookup	(gitlib()->git_object_lookup)
#define git_object_peel	(gitlib()->git_object_peel)
#define git_object_string2type	(gitlib()->git_object_string2type)
#define git_object_type	(gitlib()->git_object_type)
#define git_object_type2string	(gitlib()->git_object_type2string)
#define git_odb_add_backend	(gitlib()->git_odb_add_backend)
#define git_odb_backend_data_alloc	(gitlib()->git_odb_backend_data_alloc)
#define git_odb_backend_data_free	(gitlib()->git_odb_backend_data_free)
#define git_odb_backend_pack	(gitlib()->git_odb_backend_pack)
#define git_odb_exists	(gitlib()->git_odb_exists)
#define git_odb_free	(gitlib()->git_odb_free)
#define git_odb_get_backend	(gitlib()->git_odb_get_backend)
#define git_odb_hash	(gitlib()->git_odb_hash)
#define git_odb_init_backend	(gitlib()->git_odb_init_backend)
#define git_odb_num_backends	(gitlib()->git_odb_num_backends)
#define git_odb_object_data	(gitlib()->git_odb_object_data)
#define git_odb_object_free	(gitlib()->git_odb_object_free)
#define git_odb_object_size	(gitlib()->git_odb_object_size)
#define git_odb_object_type	(gitlib()->git_odb_object_type)
#define git_odb_read	(gitlib()->git_odb_read)
#define git_odb_read_header	(gitlib()->git_odb_read_header)
#define git_oid_cmp	(gitlib()->git_oid_cmp)
#define git_oid_cpy	(gitlib()->git_oid_cpy)
#define git_oid_equal	(gitlib()->git_oid_equal)
#define git_oid_fromstr	(gitlib()->git_oid_fromstr)
#define git_oid_fromstrn	(gitlib()->git_oid_fromstrn)
#define git_oid_is_zero	(gitlib()->git_oid_is_zero)
#define git_oid_tostr	(gitlib()->git_oid_tostr)
#define git_oid_tostr_s	(gitlib()->git_oid_tostr_s)
#define git_reference_dwim	(gitlib()->git_reference_dwim)
#define git_reference_free	(gitlib()->git_reference_free)
#define git_reference_name_to_id	(gitlib()->git_reference_name_to_id)
#define git_reference_resolve	(gitlib()->git_reference_resolve)
#define git_reference_target	(gitlib()->git_reference_target)
#define git_repository_commondir	(gitlib()->git_repository_commondir)
#define git_repository_config_snapshot	(gitlib()->git_repository_config_snapshot)
#define git_repository_discover	(gitlib()->git_repository_discover)
#define git_repository_free	(gitlib()->git_repository_free)
#define git_repository_hashfile	(gitlib()->git_repository_hashfile)
#define git_repository_head_unborn	(gitlib()->git_repository_head_unborn)
#define git_repository_index	(gitlib()->git_repository_index)
#define git_repository_is_shallow	(gitlib()->git_repository_is_shallow)
#define git_repository_odb	(gitlib()->git_repository_odb)
#define git_repository_open_ext	(gitlib()->git_repository_open_ext)
#define git_repository_path	(gitlib()->git_repository_path)
#define git_repository_workdir	(gitlib()->git_repository_workdir)
#define git_revparse_single	(gitlib()->git_revparse_single)
#define git_status_byindex	(gitlib()->git_status_byindex)
#define git_status_list_entrycount	(gitlib()->git_status_list_entrycount)
#define git_status_list_free	(gitlib()->git_status_list_free)
#define git_status_list_new	(gitlib()->git_status_list_new)
#define git_status_options_init	(gitlib()->git_status_options_init)
#define git_tree_dup	(gitlib()->git_tree_dup)
#define git_tree_entry_byindex	(gitlib()->git_tree_entry_byindex)
#define git_tree_entry_byname	(gitlib()->git_tree_entry_byname)
#define git_tree_entry_bypath	(gitlib()->git_tree_entry_bypath)
#define git_tree_entry_dup	(gitlib()->git_tree_entry_dup)
#define git_tree_entry_filemode	(gitlib()->git_tree_entry_filemode)
#define git_tree_entry_free	(gitlib()->git_tree_entry_free)
#define git_tree_entry_id	(gitlib()->git_tree_entry_id)
#define git_tree_entry_name	(gitlib()->git_tree_entry_name)
#define git_tree_entry_type	(gitlib()->git_tree_entry_type)
#define git_tree_entrycount	(gitlib()->git_tree_entrycount)
#define git_tree_free	(gitlib()->git_tree_free)
#define git_tree_id	(gitlib()->git_tree_id)
#define git_tree_lookup	(gitlib()->git_tree_lookup)
#define git_tree_walk	(gitlib()->git_tree_walk)
#endif

#endif

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UserDto } from '@toonbank/shared';
import { useApi } from '../../api/ApiContext';
import { queryKeys } from '../../api/queries';
import { usePagedList } from './paging';
import type { NewUserBody, UserChanges } from './userForm';

/** Every user of the organisation in full (GET /api/users, team lead and admin). */
export function useOrganisationUsers(enabled = true) {
  return usePagedList<UserDto>([...queryKeys.users, 'all'], '/users', enabled);
}

/**
 * After a user changed, everything that reads users is read again: the lists, the eligible
 * people of the board, one's own record (an admin may edit themselves), and the conversations
 * (deactivating or losing eligibility hands conversations back to the queue).
 */
function useUsersChanged() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.users });
    void queryClient.invalidateQueries({ queryKey: queryKeys.me });
    void queryClient.invalidateQueries({ queryKey: queryKeys.conversations });
  };
}

export function useUpdateUser() {
  const api = useApi();
  const changed = useUsersChanged();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UserChanges }) =>
      api.patch<UserDto>(`/users/${id}`, changes),
    onSuccess: changed,
  });
}

export function useCreateUser() {
  const api = useApi();
  const changed = useUsersChanged();
  return useMutation({
    mutationFn: (body: NewUserBody) => api.post<UserDto>('/users', body),
    onSuccess: changed,
  });
}

import { ErrorCode } from '@toonbank/shared';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { ApiError } from '../api/ApiError';
import { createI18n } from '../i18n';
import { ErrorNotice } from './ErrorNotice';
import { SkeletonRows } from './Skeleton';

const inDutch = (ui: React.ReactElement) =>
  render(<I18nextProvider i18n={createI18n(null)}>{ui}</I18nextProvider>);

describe('load states', () => {
  it('a failed load offers to try again, and the button calls back', async () => {
    const retry = jest.fn();
    inDutch(<ErrorNotice error={new TypeError('Failed to fetch')} onRetry={retry} />);
    expect(screen.getByRole('alert')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Opnieuw proberen' }));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('a refusal without onRetry has no retry button', () => {
    const refused = new ApiError({
      statusCode: 409,
      code: ErrorCode.Conflict,
      message: 'changed under you',
    });
    inDutch(<ErrorNotice error={refused} />);
    expect(screen.getByRole('alert')).toBeInTheDocument();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('no error, no notice', () => {
    const { container } = inDutch(<ErrorNotice error={null} onRetry={() => undefined} />);
    expect(container).toBeEmptyDOMElement();
  });

  it.each([1, 6, 20])('%i skeleton rows announce one loading state', (count) => {
    const { container } = inDutch(<SkeletonRows count={count} />);
    expect(screen.getByRole('status')).toHaveTextContent('Laden…');
    expect(container.querySelectorAll('.skeleton-row')).toHaveLength(count);
  });
});

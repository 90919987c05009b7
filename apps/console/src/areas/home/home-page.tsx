import { Typography } from 'antd';
import { useSession } from '../../auth/session';

/** The member's home: what to do today, by role. */
export default function HomePage() {
  const session = useSession();
  return <Typography.Title level={3}>{session.merchant.name}</Typography.Title>;
}

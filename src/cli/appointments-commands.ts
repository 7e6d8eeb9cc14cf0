/** Enrolment appointments' retention purge (issue 18); the app's minute timer runs the same function. */
import type { Command } from './command.js';
import { withServices } from './command.js';

export const appointmentsPurge: Command = {
  summary: 'delete enrolment appointments (and draw requests, walk-in numbers) APPOINTMENT_RETENTION_DAYS after their date',
  run: (config) =>
    withServices(config, async ({ appointments }) => {
      const { deleted } = await appointments.purge();
      process.stdout.write(`appointments:purge deleted ${deleted} booking(s) older than ${config.appointmentRetentionDays} day(s) after their date\n`);
      return 0;
    }),
};
